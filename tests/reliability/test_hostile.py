"""Hostile input against a live server: every answer is a clean 4xx (or a 2xx), never a 5xx, never a hang.

The API tests (tests/api) check each error case in-process; these send what an attacker would, over real sockets
to a real ``convstep serve``: JSON nested 100,000 deep, bodies that lie about their length, decompression bombs,
NaN/Infinity and absurd numbers, unicode, markup and paths in *every* field the OpenAPI schema declares,
path-like ids in URLs, and more training jobs than the server allows.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from app.core.security import json_depth_exceeds
from tests.api.helpers import bomb_png
from tests.support.live_server import request as raw_request
from tests.support.waiting import finished

from .conftest import assert_sound_answer, raw_connection, read_http_response

DIGIT_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABwAAAAcCAAAAABXZoBIAAAANUlEQVR42mNgGGjwH5XLiC6HLMCEWx+"
    "KJIYckiSmHJIkIz5JBkYMeSZcLkeXZBiVpKrkQAAAddMFJlkqKYkAAAAASUVORK5CYII="
)
MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>'

# values dropped into every field: text, then raw JSON tokens (numbers Python's parser turns into inf/nan...)
HOSTILE_STRINGS = [
    "é€😀漢字",
    "\u202eexe.txt",
    "a\u0000b",
    "\ud800",
    MARKUP,
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "C:\\Windows\\win.ini",
    "{0}{1}%s%n$(id)",
    " ",
    "",
    "x" * 100_000,
]
HOSTILE_JSON_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "1" + "0" * 400,
    "-0.0",
    "1e-400",
    "true",
    "null",
    "[]",
    "{}",
    "[[[[[]]]]]",
]
PLACEHOLDER = "\u2063HOSTILE\u2063"


def post_json(http: httpx.Client, path: str, payload: Any, **headers) -> httpx.Response:
    response = http.post(path, json=payload, headers=headers)
    assert_sound_answer(response.status_code, response.headers, response.content, f"POST {path}")
    return response


def post_raw(http: httpx.Client, path: str, body: bytes | str, content_type: str | None = "application/json"):
    headers = {"Content-Type": content_type} if content_type else {}
    response = http.post(path, content=body.encode() if isinstance(body, str) else body, headers=headers)
    assert_sound_answer(response.status_code, response.headers, response.content, f"POST {path}")
    return response


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


# -- JSON: deep, enormous, lying ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, deeper_than_limit",
    [
        (b'{"a": [1, 2, {"b": [3]}]}', False),
        (b'{"a": "' + b"[" * 100 + b'"}', False),  # brackets inside a string do not nest
        (b'{"a": "\\"' + b"[" * 100 + b'"}', False),  # ... even after an escaped quote
        (b"[" * 33 + b"]" * 33, True),
        (b'{"a":' * 40 + b"1" + b"}" * 40, True),
        (b'["\\\\", ' + b"[" * 40 + b"]" * 40 + b"]", True),  # an escaped backslash ends the string
        (b"", False),
    ],
)
def test_json_depth_scan(body, deeper_than_limit):
    assert json_depth_exceeds(body, 32) is deeper_than_limit


@pytest.mark.parametrize("content_type", ["application/json", "application/vnd.api+json", None])
@pytest.mark.parametrize("shape", ["lists", "objects"])
def test_json_nested_100000_deep_is_refused_before_parsing(http, shape, content_type):
    depth = 100_000
    nested = "[" * depth + "]" * depth if shape == "lists" else '{"a":' * depth + "1" + "}" * depth
    response = post_raw(http, "/api/predict", '{"image": ' + nested + "}", content_type)
    assert response.status_code in (400, 415, 422)
    if content_type is None or "json" in content_type:
        assert error_code(response) == "json_too_deep", response.text
        assert response.json()["error"]["detail"] == {"max_json_depth": 32}


@pytest.mark.parametrize(
    "body",
    [
        b'{"image": "\xff\xfe\xed\xa0\x80"}',
        b'\xef\xbb\xbf{"image": 1}',
        b'{"image": "a"}\x00',
        b'{"image": "a", "image": [[1]]}',
        b"\x00" * 1000,
    ],
)
def test_bytes_that_are_not_utf8_json(http, body):
    assert post_raw(http, "/api/predict", body).status_code in (400, 422)


def test_requests_as_deep_as_the_api_needs_pass_the_depth_limit(http):
    rgb = [[[1, 0, 2], [0, 1, 0], [2, 0, 1]]] * 3  # (C, H, W): the deepest request body, 4 levels
    response = post_json(http, "/api/convolve", {"input": rgb, "kernel": [[[1, 0], [0, 1]]] * 3})
    assert response.status_code == 200


def test_enormous_json_up_to_the_body_limit_is_answered(http):
    # 1.9 MB of numbers: a single 1 × 950,000 "image", within the body and pixel limits
    row = ",".join(["1"] * 950_000)
    response = post_raw(http, "/api/predict", '{"image": [[' + row + "]]}")
    assert response.status_code == 422  # a 1-pixel-high strip: blank after preprocessing, or refused
    many = json.dumps({"images": [DIGIT_PNG] * 5000})  # ~1 MB: too many images, said before decoding any
    assert error_code(post_raw(http, "/api/predict", many)) == "too_many_images"


def test_body_over_the_limit_declared_or_streamed_is_413(http, server):
    big = b'{"image": "' + b"A" * (3 * 1024 * 1024) + b'"}'
    response = post_raw(http, "/api/predict", big)
    assert response.status_code == 413 and error_code(response) == "body_too_large"
    # chunked: no Content-Length to check, the body is counted as it comes
    with raw_connection(server) as sock:
        sock.sendall(
            b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"A" * 65536
        status = None
        try:
            for _ in range(64):  # up to 4 MB, stopped by the server at 2 MB
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, headers, content = read_http_response(sock)
    assert_sound_answer(status, headers, content, "chunked body over the limit")
    assert status == 413


@pytest.mark.parametrize("declared", [b"-1", b"abc", b"1e3", b"99999999999999999999999999"])
def test_nonsense_content_length_is_a_clean_4xx(server, declared):
    with raw_connection(server) as sock:
        sock.sendall(
            b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + declared
            + b"\r\nConnection: close\r\n\r\n{}"
        )
        data = sock.recv(65536)
    # uvicorn's parser may refuse the request line itself (a bare 400), else the app answers
    assert data.startswith(b"HTTP/1.1 4"), data[:200]


def test_body_shorter_than_declared_does_not_hold_a_worker(http, server):
    """The client says 1,000 bytes, sends 10 and goes away: the server drops it and keeps serving."""
    with raw_connection(server) as sock:
        sock.sendall(
            b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"image":'
        )
    assert http.get("/api/health").status_code == 200


# -- images: bombs and huge dimensions ---------------------------------------------------------------------------
def png_data_url(image: Image.Image, **save) -> str:
    buf = io.BytesIO()
    image.save(buf, format="PNG", **save)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_decompression_bombs_are_refused_before_decoding(http):
    """A PNG header declaring 30,000 × 30,000 pixels, and a real PNG of 36 Mpixels."""
    bomb = "data:image/png;base64," + base64.b64encode(bomb_png()).decode()
    # a real, valid 6,000 × 6,000 PNG (36 Mpixels) that compresses to ~40 kB
    real = png_data_url(Image.new("L", (6000, 6000), 255), optimize=True)
    assert len(real) < 200_000
    for image in (bomb, real):
        for path in ("/api/predict", "/api/forward"):
            response = post_json(http, path, {"image": image})
            assert response.status_code == 413 and error_code(response) == "image_too_large", response.text


def test_huge_dimensions_in_every_shape(http):
    wide = Image.new("L", (60_000, 2), 255)  # 120,000 pixels: allowed, but absurd proportions
    wide.paste(0, (0, 0, 30_000, 2))
    for image in (png_data_url(wide), [[0.0] * 30_000, [1.0] * 30_000]):
        response = post_json(http, "/api/predict", {"image": image})
        assert response.status_code in (200, 422)
    tall = [[1.0]] * 100_000
    assert post_json(http, "/api/forward", {"image": tall}).status_code in (200, 422)


# -- numbers and sizes ----------------------------------------------------------------------------------------------
BIG = 2**62


@pytest.mark.parametrize(
    "path, payload, code",
    [
        ("/api/convolve", {"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": BIG}, "stride_too_large"),
        ("/api/convolve", {"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": [1, BIG]}, "stride_too_large"),
        ("/api/convolve", {"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": 10**40}, None),
        ("/api/convolve", {"input": [[1, 2], [3, 4]], "kernel": [[1]], "padding": BIG}, "padding_too_large"),
        ("/api/convolve", {"input": [[1, 2], [3, 4]], "kernel": [[1] * 16] * 16, "padding": 8}, "kernel_too_large"),
        ("/api/convolve", {"input": [[1] * 321] * 2, "kernel": [[1]]}, "input_too_large"),
        ("/api/convolve", {"input": [[[1, 2], [3, 4]]] * 5, "kernel": [[[1]]] * 5}, "too_many_channels"),
        (
            "/api/convolve",
            {"input": [[1, 2], [3, 4]], "kernel": [[1]], "positions": [[BIG, BIG]]},
            "position_out_of_range",
        ),
        ("/api/convolve", {"input": [[1e6] * 9] * 9, "kernel": [[1e6] * 9] * 9, "bias": 1e6}, None),
        ("/api/pool", {"input": [[1, 2], [3, 4]], "size": BIG}, "kernel_too_large"),
        ("/api/pool", {"input": [[1, 2], [3, 4]], "size": 1, "stride": BIG}, "stride_too_large"),
        ("/api/pool", {"input": [[1, 2], [3, 4]], "size": 3}, "kernel_larger_than_input"),
        (
            "/api/gradcheck",
            {"image": DIGIT_PNG, "label": 1, "layer": "conv1", "param": "K", "indices": [[BIG, 0, 0, 0]]},
            "index_out_of_range",
        ),
        ("/api/backward", {"image": DIGIT_PNG, "label": 1, "learning_rate": 10, "steps": 50}, None),
        ("/api/worked-example", {"X": [[1e6] * 3] * 3, "f1": [[1e6] * 2] * 2, "W": [[1e6] * 2] * 2, "eta": 100}, None),
    ],
)
def test_oversized_kernels_strides_and_numbers(http, path, payload, code):
    response = post_json(http, path, payload)
    if code is not None:
        assert response.status_code == 422 and error_code(response) == code, response.text
    elif response.status_code == 200:  # huge but allowed numbers: the answer holds only finite numbers
        assert "NaN" not in response.text and "Infinity" not in response.text


@pytest.mark.parametrize("query", [f"row={10**40}", "row=-1", "row=1e3", "row=NaN", "row=%00", "row=" + "9" * 5000])
def test_absurd_query_numbers(http, query):
    response = http.get(f"/api/models/lenet/params/conv1/K?{query}")
    assert_sound_answer(response.status_code, response.headers, response.content, query)
    assert response.status_code in (404, 422)


# -- every field of every operation, from the OpenAPI schema -------------------------------------------------------
def _leaf_paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Paths to the leaves of a JSON example (only the first element of each list: they all look alike)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, prefix + (key,))
    elif isinstance(value, list) and value:
        yield from _leaf_paths(value[0], prefix + (0,))
    else:
        yield prefix


def _with_placeholder(example: Any, path: tuple) -> Any:
    if not path:
        return PLACEHOLDER
    copy = json.loads(json.dumps(example))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = PLACEHOLDER
    return copy


def _body_slots(spec: dict, operation: dict) -> Iterator[tuple[str, str]]:
    """(label, JSON text with a placeholder) for each field of the operation's example body, and each declared
    top-level field."""
    content = operation["requestBody"]["content"]["application/json"]["schema"]
    component = spec["components"]["schemas"][content["$ref"].rsplit("/", 1)[1]]
    example = (component.get("examples") or [{}])[0]
    paths = set(_leaf_paths(example)) | {(name,) for name in component.get("properties", {})}
    for path in sorted(paths, key=str):
        yield ".".join(map(str, path)) or "body", json.dumps(_with_placeholder(example, path))


def _hostile_values() -> Iterator[tuple[str, str]]:
    for text in HOSTILE_STRINGS:
        yield repr(text[:20]), json.dumps(text)  # "\ud800" becomes a lone-surrogate escape, valid JSON text
    for token in HOSTILE_JSON_TOKENS:
        yield token[:20], token


@pytest.fixture(scope="module")
def openapi(server) -> dict:
    return httpx.get(f"{server.url}/openapi.json", timeout=30).json()


# POST /api/train would start real jobs: its body is the one of /api/train/validate, fuzzed there
SKIPPED_OPERATIONS = {("post", "/api/train")}


def test_hostile_values_in_every_body_field(http, openapi):
    sent = 0
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation or (method, path) in SKIPPED_OPERATIONS:
                continue
            for field, template in _body_slots(openapi, operation):
                for label, value in _hostile_values():
                    body = template.replace(json.dumps(PLACEHOLDER), value)
                    response = http.request(
                        method,
                        path,
                        content=body.encode(),
                        headers={"Content-Type": "application/json", "Accept-Language": "fr" if sent % 2 else "en"},
                    )
                    assert_sound_answer(
                        response.status_code,
                        response.headers,
                        response.content,
                        f"{method.upper()} {path} {field}={label}",
                    )
                    sent += 1
    assert sent > 500  # every operation with a body was reached


def test_hostile_values_in_every_path_and_query_parameter(http, openapi):
    sent = 0
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if method != "get":
                continue
            params = [p for p in operation.get("parameters", []) if p["in"] in ("path", "query")]
            defaults = {
                p["name"]: {"model_id": "lenet", "layer": "conv1", "param": "K"}.get(p["name"], "0") for p in params
            }
            for param in params:
                for text in HOSTILE_STRINGS[:-1] + ["NaN", "1e999", "-1", "1" + "0" * 400]:
                    values = {**defaults, param["name"]: text}
                    url, query = path, []
                    for p in params:
                        # a lone surrogate goes out as the invalid UTF-8 bytes it stands for (%ED%A0%80)
                        quoted = urllib.parse.quote(values[p["name"]], safe="", errors="surrogatepass")
                        if p["in"] == "path":
                            url = url.replace("{{{}}}".format(p["name"]), quoted)
                        else:
                            query.append(f"{p['name']}={quoted}")
                    target = url + "?" + "&".join(query)
                    response = http.get(target)
                    assert_sound_answer(response.status_code, response.headers, response.content, f"GET {target[:200]}")
                    sent += 1
    assert sent > 100


# -- path-like ids ---------------------------------------------------------------------------------------------------
TRAVERSALS = [
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "%2Fetc%2Fpasswd",
    "..%5C..%5Cwindows%5Cwin.ini",
    "lenet%00.npz",
    "lenet.npz",
    "..",
    "%2e%2e",
    "LENET",
    "lenet%2F..%2F..%2Fseed",
    "%C0%AE%C0%AE%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("model_id", TRAVERSALS)
@pytest.mark.parametrize(
    "template",
    [
        "/api/models/{}",
        "/api/models/{}/params/conv1/K",
        "/api/models/lenet/params/{}/K",
        "/api/train/{}",
        "/api/train/{}/model",
    ],
)
def test_path_like_ids_in_urls_never_reach_the_disk(server, template, model_id):
    status, content, headers = raw_request(server.url, "GET", template.format(model_id))
    assert_sound_answer(status, headers, content, template.format(model_id))
    assert status in (404, 422), (status, content[:300])
    assert b"root:" not in content and b"[fonts]" not in content


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/..%2F..%2Fapp%2Fcore%2Fconfig.py",
        "/static//etc/passwd",
        "/static/%2Fetc%2Fpasswd",
        "/static/..%2F..%2Fengine%2Fweights%2Fsamples.npz",
    ],
)
def test_static_files_never_leave_the_static_folder(server, path):
    status, content, headers = raw_request(server.url, "GET", path)
    assert status in (400, 404), (path, status)
    assert b"root:" not in content and b"BaseSettings" not in content and b"PK" not in content[:2]


@pytest.mark.parametrize(
    "model_id",
    [
        "../../etc/passwd",
        "..\\..\\lenet",
        "/etc/passwd",
        "lenet/../seed",
        "%2e%2e%2fetc",
        "lenet\u0000",
        "LeNet",
        "lenet.npz",
        "~root",
    ],
)
def test_path_like_model_ids_in_bodies_are_refused(http, model_id):
    response = post_json(http, "/api/predict", {"image": DIGIT_PNG, "model": model_id})
    assert response.status_code == 422 and response.json()["error"]["detail"][0]["field"] == "model"
    assert "root:" not in response.text


# -- training jobs beyond the limit -------------------------------------------------------------------------------
# long enough that none of them ends while the 8 requests arrive (they are cancelled at the end)
SMALL_JOB = {"preset": "lenet", "epochs": 5, "train_size": 2000, "batch_size": 8}


def test_training_jobs_beyond_the_queue_limit_get_429(http, server):
    """The shared server runs one job at a time and queues 2: of 8 simultaneous requests exactly 3 are accepted."""
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def start() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            response = client.post("/api/train", json=SMALL_JOB)
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    statuses = sorted(r.status_code for r in answers)
    try:
        assert statuses == [202] * 3 + [429] * 5, statuses
        for response in answers:
            assert_sound_answer(response.status_code, response.headers, response.content, "POST /api/train")
            if response.status_code == 429:
                assert error_code(response) == "queue_full"
                assert int(response.headers["retry-after"]) > 0
        # one more, one at a time: still refused while the queue is full
        assert post_json(http, "/api/train", SMALL_JOB).status_code == 429
    finally:
        for response in answers:
            if response.status_code == 202:
                job = response.json()["id"]
                http.delete(f"/api/train/{job}")
                finished(http, job)
    # the slot is free again
    again = post_json(http, "/api/train", SMALL_JOB)
    assert again.status_code == 202
    http.delete(f"/api/train/{again.json()['id']}")
    finished(http, again.json()["id"])
