"""Array encoding (app/services/encoding.py): rounding to 4 significant digits, and the fast trace path.

The trace answers (/api/forward, /api/backward) are built with NumPy arrays, rounded in one batch
(:class:`RoundingBatch`) and written by orjson, and FastAPI no longer validates them against their response models.
So these tests pin down that the fast path writes exactly the JSON of the plain path (``to_list`` lists through
pydantic), and that real answers still validate against the declared models.
"""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from pydantic import TypeAdapter

from app.core.errors import ApiError
from app.schemas.common import Tensor
from app.schemas.trace import BackwardResponse, ForwardResponse
from app.services.encoding import (
    RoundingBatch,
    array_json,
    gzip_compress,
    round_number,
    round_significant,
    tensor_dict,
    tensor_summary,
    to_list,
)

NASTY = np.array(
    [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.012345678,
        9.9995,
        99995.0,
        123456789.0,
        -4.2e-7,
        1e-19,
        3e-20,
        1e25,
        5e-324,
        1e-310,
        1.7e308,
        -1.7e308,
        0.5,
        2.5e-5,
        1 / 3,
    ]
)


def pydantic_json(value, annotation=object) -> bytes:
    """The plain path: Python lists validated and written by pydantic, as FastAPI does for a route's dict."""
    adapter = TypeAdapter(annotation)
    return adapter.dump_json(adapter.validate_python(value))


def test_round_significant_keeps_four_digits_and_prints_short():
    assert to_list(np.array([0.012345678, 123456.7, -0.00098766, 0.0, -0.0])) == [
        0.01235,
        123500.0,
        -0.0009877,
        0.0,
        0.0,
    ]
    assert round_number(2 / 3) == 0.6667
    assert json.dumps(round_significant(np.array([0.1 + 0.2]))[0].item()) == "0.3"  # no 0.30000000000000004
    # extremes beyond exact powers of ten are still 4 digits
    assert to_list(np.array([1.234567e-25, 9.87654e30])) == [1.235e-25, 9.877e30]


def test_rounding_refuses_nan_and_infinity():
    for bad in (np.nan, np.inf, -np.inf):
        with pytest.raises(ApiError):
            round_significant(np.array([1.0, bad]))
        batch = RoundingBatch()
        batch.put({}, "x", np.array([bad], dtype=np.float32))
        with pytest.raises(ApiError):
            batch.run()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_rounding_batch_writes_the_json_of_to_list(dtype):
    rng = np.random.default_rng(0)
    arrays = {
        "nasty": NASTY.astype(dtype) if dtype == np.float64 else NASTY[np.abs(NASTY) < 3e38].astype(dtype),
        "image": rng.standard_normal((2, 5, 7)).astype(dtype) * 10.0 ** rng.integers(-8, 8, (2, 5, 7)),
        "relu": np.maximum(rng.standard_normal((3, 4)), 0).astype(dtype),
        "empty": np.zeros((0, 3), dtype),
        "one": np.array([0.123456], dtype),
        "ints": np.arange(-3, 4),
        "flags": np.array([True, False]),
    }
    plain = {name: to_list(a) for name, a in arrays.items()}
    batch, fast = RoundingBatch(), {}
    for name, a in arrays.items():
        batch.put(fast, name, a)
    batch.put_number(fast, "number", dtype(2 / 3))
    plain["number"] = round_number(dtype(2 / 3))
    batch.run()
    assert list(fast) == list(plain)  # same keys in the same order
    assert array_json(fast) == pydantic_json(plain)


def test_a_rounding_batch_writes_tensors_as_tensor_summary():
    rng = np.random.default_rng(1)
    params = {
        "K": rng.standard_normal((2, 1, 3, 3)).astype(np.float32),
        "b": np.zeros(2, np.float32),
        "W": rng.standard_normal((30, 40)).astype(np.float32),
    }
    for max_values in (0, 1000, 20_000):
        batch, fast = RoundingBatch(), {}
        batch.put_tensors(fast, "params", params, max_values=max_values)
        batch.put_tensor(fast, "one", params["K"], max_values=max_values)
        batch.run()
        assert array_json(fast["params"]) == pydantic_json(
            tensor_dict(params, max_values=max_values), dict[str, Tensor]
        )
        assert array_json(fast["one"]) == pydantic_json(tensor_summary(params["K"], max_values=max_values), Tensor)
        assert (fast["params"]["W"]["values"] is None) == (max_values < 1200)


def test_an_empty_rounding_batch_does_nothing():
    RoundingBatch().run()


@pytest.mark.parametrize(
    "path,payload,model",
    [
        ("/api/forward", {}, ForwardResponse),
        ("/api/forward", {"include_params": False}, ForwardResponse),
        ("/api/forward", {"step_images": "png"}, ForwardResponse),
        ("/api/backward", {"label": 3}, BackwardResponse),
        ("/api/backward", {"label": 8, "steps": 3, "include_params": False}, BackwardResponse),
    ],
)
def test_trace_answers_validate_against_their_declared_model(client, digit_url, path, payload, model):
    response = client.post(path, json={"image": digit_url, **payload})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    answer = model.model_validate_json(response.content)
    # the JSON is what pydantic itself writes for that model: same keys (none dropped), same numbers
    assert json.loads(answer.model_dump_json()) == response.json()
    assert list(response.json()) == list(model.model_fields)  # and in the model's order


def test_gzip_compress_writes_the_gzip_format():
    data = array_json({"values": np.round(np.random.default_rng(2).standard_normal(5000), 3)})
    for level in (1, 6, 9):
        packed = gzip_compress(data, level)
        assert packed[:2] == b"\x1f\x8b" and gzip.decompress(packed) == data
        assert len(packed) < len(data) / 2


@pytest.mark.parametrize("path,extra", [("/api/forward", {}), ("/api/backward", {"label": 4})])
def test_trace_answers_are_gzipped_only_for_clients_that_accept_it(client, digit_url, path, extra):
    body = {"image": digit_url, **extra}
    packed = client.post(path, json=body, headers={"Accept-Encoding": "gzip"})
    plain = client.post(path, json=body, headers={"Accept-Encoding": "identity"})
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert packed.num_bytes_downloaded < len(packed.content) / 2  # the client inflated it
    assert plain.num_bytes_downloaded == len(plain.content) == int(plain.headers["content-length"])
    assert packed.content == plain.content  # the same JSON
    assert packed.headers["vary"] == plain.headers["vary"] == "Accept-Encoding"
