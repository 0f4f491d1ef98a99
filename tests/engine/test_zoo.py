"""The famous architectures (engine/zoo.py) measured by the shape-only layers (engine/shapes.py), against numbers
computed elsewhere: torchvision's own parameter and operation counts, the LeNet-5 paper's per-layer counts, and
window positions counted one by one."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine import PRESETS, Sequential
from engine.model import LAYER_TYPES
from engine.shapes import ShapeError, measure, size_step
from engine.zoo import ARCHITECTURES

# torchvision (torchvision/models/*.py, the IMAGENET1K_V1 weights' meta): "num_params" is
# sum(p.numel() for p in model.parameters()) and "_ops" the GFLOPS (multiply-adds, in 10⁹) of one 224×224 image.
TORCHVISION = {
    "alexnet": (61_100_840, 0.714),  # alexnet.py, AlexNet_Weights
    "vgg16": (138_357_544, 15.47),  # vgg.py, VGG16_Weights
    "vgg19": (143_667_240, 19.632),  # vgg.py, VGG19_Weights
    "googlenet": (6_624_904, 1.498),  # googlenet.py, GoogLeNet_Weights (without the auxiliary classifiers)
    "resnet18": (11_689_512, 1.814),  # resnet.py, ResNet18_Weights
    "resnet50": (25_557_032, 4.089),  # resnet.py, ResNet50_Weights
    "resnet152": (60_192_808, 11.514),  # resnet.py, ResNet152_Weights
    "densenet121": (7_978_856, 2.834),  # densenet.py, DenseNet121_Weights
    "efficientnet_b0": (5_288_548, 0.386),  # efficientnet.py, EfficientNet_B0_Weights
}


@pytest.mark.parametrize("key", sorted(TORCHVISION))
def test_totals_equal_torchvision(key):
    params, gmacs = TORCHVISION[key]
    m = ARCHITECTURES[key].measure()
    assert m.total_params == params
    assert round(m.total_macs / 1e9, 3) == pytest.approx(gmacs, abs=1e-9)
    assert m.output_shape == (1000,)
    assert m.total_params == sum(r.params for r in m.rows)


def test_lenet5_as_published():
    """Section II.B of LeCun et al. (1998) gives each layer's trainable parameters and connections."""
    m = ARCHITECTURES["lenet5"].measure()
    rows = {r.name: r for r in m.rows}
    paper = {"C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000), "C5": (48_120, 48_120)}
    paper["F6"] = (10_164, 10_164)
    for name, (params, connections) in paper.items():
        row = rows[name]
        assert row.params == params, name
        # a connection is one input (or the bias) wired to one output: the multiply-adds plus one bias per output
        outputs = int(np.prod(row.output_shape))
        window = 4 if row.type == "subsample" else None
        links = outputs * (window + 1) if window else row.macs + outputs
        assert links == connections, name
    assert [rows[n].output_shape for n in ("C1", "S2", "C3", "S4", "C5", "F6", "output")] == [
        (6, 28, 28),
        (6, 14, 14),
        (16, 10, 10),
        (16, 5, 5),
        (120, 1, 1),
        (84,),
        (10,),
    ]
    assert rows["output"].params == 84 * 10  # the RBF centres
    assert m.total_params == 60_840


def test_alexnet_first_layer_is_floored():
    first = ARCHITECTURES["alexnet"].measure().rows[0]
    (step,) = first.sizes  # square image, square kernel: one formula for both axes
    assert (step.n, step.f, step.p, step.s) == (224, 11, 4, 4)
    assert step.as_dict()["quotient"] == 54.25 and not step.exact and step.out == 55
    assert first.output_shape == (64, 55, 55)


def _positions(n: int, f: int, p: int, s: int, ceil: bool) -> int:
    """Window positions counted one by one: windows start every s cells from −p; a window must fit in the padded
    input (floor); rounding up (PyTorch's ceil_mode) adds one partial window over the cells the last whole one
    left out, provided it starts inside the input."""
    count = 0
    for start in itertools.count(-p, s):
        if start + f <= n + p:
            count += 1
        elif ceil and start < n and start - s + f < n + p:
            count += 1
            break
        else:
            break
    return count


@pytest.mark.parametrize("ceil", [False, True])
def test_output_size_counts_window_positions(ceil):
    for n, f, p, s in itertools.product(range(1, 16), range(1, 6), range(3), range(1, 5)):
        if f > n + 2 * p or (ceil and p > f // 2):
            continue
        assert size_step(n, f, (p, p), s, ceil).out == _positions(n, f, p, s, ceil), (n, f, p, s)


def test_numpy_layers_agree_with_shape_only():
    """Where the engine has a NumPy layer, the shape-only row gives the shape and parameter count of the real
    layer built with weights."""
    spec = [
        {"type": "conv2d", "filters": 5, "kernel_size": 3, "stride": 2, "padding": 1},
        {"type": "relu"},
        {"type": "maxpool", "size": 3, "stride": 2},
        {"type": "conv2d", "filters": 4, "kernel_size": 2, "use_bias": False},
        {"type": "tanh"},
        {"type": "sumpool", "size": 2, "stride": 1},
        {"type": "elu", "alpha": 0.5},
        {"type": "leaky_relu", "alpha": 0.2},
        {"type": "sigmoid"},
        {"type": "heaviside"},
        {"type": "avgpool", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 7},
        {"type": "dropout", "rate": 0.3},
        {"type": "softmax"},
    ]
    m = measure(spec, (2, 29, 31))
    model = Sequential.from_spec(spec, input_shape=(2, 29, 31))
    assert [r.output_shape for r in m.rows] == model.shapes
    assert [r.params for r in m.rows] == [layer.param_count() for layer in model.layers]
    assert all(r.numpy for r in m.rows)
    assert {r.type for r in m.rows} == set(LAYER_TYPES)  # every NumPy layer of the engine is covered
    out = model.forward(np.zeros((1, 2, 29, 31), dtype=np.float32))
    assert out.shape[1:] == m.output_shape
    for preset, (preset_spec, input_shape, _) in PRESETS.items():
        assert (
            measure(preset_spec, input_shape).total_params
            == Sequential.from_spec(preset_spec, input_shape=input_shape).param_count()
        ), preset


def test_grouped_depthwise_and_blocks():
    m = measure(
        [
            {"type": "conv2d", "filters": 8, "kernel_size": 3, "groups": 4, "padding": 1},
            {"type": "dwconv2d", "kernel_size": 3, "stride": 2, "padding": 1, "use_bias": False},
            {"type": "batchnorm"},
            {"type": "se", "squeeze": 2},
            {"type": "residual", "branches": [[{"type": "conv2d", "filters": 8, "kernel_size": 1}], []]},
            {"type": "concat", "branches": [[], [{"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": 1}]]},
            {"type": "global_avgpool"},
        ],
        (4, 10, 10),
    )
    top = [r for r in m.rows if r.depth == 0]
    assert [r.output_shape for r in top] == [
        (8, 10, 10),
        (8, 5, 5),
        (8, 5, 5),
        (8, 5, 5),
        (8, 5, 5),
        (11, 5, 5),
        (11, 1, 1),
    ]
    assert top[0].params == 8 * (4 // 4) * 9 + 8 and top[0].macs == 8 * 1 * 9 * 100 and not top[0].numpy
    assert top[1].params == 8 * 9 and top[1].macs == 8 * 9 * 25
    assert top[2].params == 16
    se = top[3]
    assert se.block and se.params == 0 and se.block_params == (8 * 2 + 2) + (2 * 8 + 8)
    assert top[4].block_params == 8 * 8 + 8 and top[5].block_params == 8 * 9 * 3 + 3
    assert m.total_params == sum(r.params for r in m.rows)
    assert [r.name for r in m.rows if r.depth == 1][:5] == [
        "se1.avgpool",
        "se1.fc1",
        "se1.activation",
        "se1.fc2",
        "se1.scale_activation",
    ]


@pytest.mark.parametrize(
    ("spec", "shape", "where", "says"),
    [
        ([{"type": "conv2d", "filters": 2, "kernel_size": 7}], (1, 5, 5), "conv2d1", "larger than the padded input"),
        ([{"type": "flatten"}, {"type": "maxpool"}], (1, 4, 4), "maxpool1", "needs an image"),
        ([{"type": "dense", "units": 3}], (1, 4, 4), "dense1", "vector input"),
        ([{"type": "conv2d", "filters": 3, "kernel_size": 1, "groups": 2}], (4, 4, 4), "conv2d1", "groups"),
        ([{"type": "warp"}], (1, 4, 4), "layer 1", "unknown layer type"),
        ([{"type": "relu", "size": 3}], (1, 4, 4), "layer 1", "no option size"),
        (
            [
                {"type": "relu"},
                {"type": "residual", "branches": [[{"type": "conv2d", "filters": 2, "kernel_size": 1}], []]},
            ],
            (1, 4, 4),
            "residual1",
            "equal shapes",
        ),
    ],
)
def test_shape_errors_name_the_layer(spec, shape, where, says):
    with pytest.raises(ShapeError) as info:
        measure(spec, shape)
    assert info.value.path == where and says in info.value.reason
    assert info.value.index == len(spec) - 1


def _shape_after(key: str, name: str) -> tuple[int, ...]:
    return next(r.output_shape for r in ARCHITECTURES[key].measure().rows if r.name == name)


def test_stage_sizes_match_the_papers_tables():
    """Output sizes printed in the papers (GoogLeNet Table 1, ResNet Table 1, DenseNet Table 1, EfficientNet
    Table 1, VGG's five 2×2 poolings), independent of the code that computes them."""
    googlenet = {
        "conv1.relu": (64, 112, 112),
        "maxpool1": (64, 56, 56),
        "conv3.relu": (192, 56, 56),
        "maxpool2": (192, 28, 28),
        "inception3a": (256, 28, 28),
        "inception3b": (480, 28, 28),
        "maxpool3": (480, 14, 14),
        "inception4a": (512, 14, 14),
        "inception4d": (528, 14, 14),
        "inception4e": (832, 14, 14),
        "maxpool4": (832, 7, 7),
        "inception5a": (832, 7, 7),
        "inception5b": (1024, 7, 7),
        "avgpool": (1024, 1, 1),
    }
    for name, shape in googlenet.items():
        assert _shape_after("googlenet", name) == shape, name
    for depth in (18, 50, 152):
        expansion = 1 if depth == 18 else 4
        assert _shape_after(f"resnet{depth}", "stem.relu") == (64, 112, 112)
        assert _shape_after(f"resnet{depth}", "maxpool") == (64, 56, 56)
        for stage, (width, side) in enumerate(zip([64, 128, 256, 512], [56, 28, 14, 7]), start=1):
            assert _shape_after(f"resnet{depth}", f"layer{stage}.0") == (width * expansion, side, side)
    for b, (channels, side) in enumerate([(256, 56), (512, 28), (1024, 14), (1024, 7)], start=1):
        last = {1: 6, 2: 12, 3: 24, 4: 16}[b]
        assert _shape_after("densenet121", f"denseblock{b}.layer{last}") == (channels, side, side)
    efficientnet = {"stem.silu": (32, 112, 112), "stage1.0.project.bn": (16, 112, 112), "stage2.1": (24, 56, 56)}
    efficientnet |= {"stage3.1": (40, 28, 28), "stage4.2": (80, 14, 14), "stage5.2": (112, 14, 14)}
    efficientnet |= {"stage6.3": (192, 7, 7), "stage7.0.project.bn": (320, 7, 7), "head.silu": (1280, 7, 7)}
    for name, shape in efficientnet.items():
        assert _shape_after("efficientnet_b0", name) == shape, name
    for depth in (16, 19):
        assert [_shape_after(f"vgg{depth}", f"pool{i}")[1] for i in range(1, 6)] == [112, 56, 28, 14, 7]
