"""Convolution and pooling on small inputs, explained position by position (for /api/convolve and /api/pool).

The numbers come from the engine's own layers (``Conv2D``, ``MaxPool2D``...) and window helpers, in float64;
this module only checks the request against the limits, lays out 1-D/2-D/3-D inputs as (C, H, W), and writes
the output-size formula with the request's numbers, e.g. ``(5 − 3 + 2·0)/1 + 1 = 3``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.conv import Conv2D, output_size, pad_images, resolve_padding
from engine.pooling import POOLS
from messages import both, message

from ..core.errors import ApiError
from ..core.i18n import Lang
from .encoding import to_list
from .images import array_from_lists

SYMBOLIC = "(N − F + 2P)/S + 1"


# A student checks these numbers by hand: answers carry the exact float64 values (12.345678 stays 12.345678), not
# the 4 significant digits of the large traces.
def exact_list(a) -> Any:
    return to_list(a, digits=None)


def exact_number(x) -> float:
    return float(to_list(np.float64(x), digits=None))


@dataclass
class Layout:
    """How the client's array maps to (C, H, W): ``ndim`` 1 is (1, 1, N), 2 is (1, H, W), 3 is (C, H, W)."""

    ndim: int

    def to_client(self, chw: np.ndarray) -> np.ndarray:
        """A (C, H, W, ...) array back in the client's layout (C and, for 1-D, H squeezed)."""
        if self.ndim == 3:
            return chw
        return chw[0, 0] if self.ndim == 1 else chw[0]


#: the arrays and settings the messages name (catalogue: sliding.name.<key>, and sliding.subject.<key> at the
#: start of a sentence — "The kernel" / "Le noyau")
NAMED = ("input", "kernel", "window", "stride", "padding", "size")
NAMES: dict[str, dict[str, str]] = {key: both(f"sliding.name.{key}") for key in NAMED}


def _capitalised(name: dict[str, str]) -> dict[str, str]:
    """The name at the start of a sentence."""
    key = next(k for k, v in NAMES.items() if v == name)
    return both(f"sliding.subject.{key}")


def as_chw(values: list, what: str, limits) -> tuple[np.ndarray, Layout]:
    a = array_from_lists(values, NAMES[what])
    layout = Layout(a.ndim)
    chw = a.reshape(1, 1, -1) if a.ndim == 1 else (a[None] if a.ndim == 2 else a)
    c, h, w = chw.shape
    if c > limits.max_conv_channels:
        raise ApiError.invalid_input(
            "too_many_channels",
            What=_capitalised(NAMES[what]),
            channels=c,
            limit=limits.max_conv_channels,
        )
    return chw, layout


def _check_input_side(x: np.ndarray, limits) -> None:
    _, h, w = x.shape
    if max(h, w) > limits.max_conv_input_side:
        side = limits.max_conv_input_side
        raise ApiError.invalid_input(
            "input_too_large", "error.input_too_large", {"max_side": side}, h=h, w=w, side=side
        )


def _pair(value, layout: Layout, name: str, flat: int = 1) -> tuple[int, int]:
    """``3`` -> (3, 3) for 2-D/3-D inputs and (``flat``, 3) for 1-D ones (a 1-row input: stride and window 1,
    padding 0 vertically)."""
    if isinstance(value, (tuple, list)):
        if layout.ndim == 1:
            raise ApiError.invalid_input(f"invalid_{name}", "error.single_number_for_1d", what=NAMES[name])
        return int(value[0]), int(value[1])
    if layout.ndim == 1:
        return flat, int(value)
    return int(value), int(value)


def _check_stride(stride: tuple[int, int], limits) -> None:
    """A stride above the largest input side can only ever fit one window per axis; huger ones overflow NumPy's
    strided views (an unreadable "maximum allowed dimension exceeded"), so they are refused with a clear 422."""
    side = limits.max_conv_input_side
    if max(stride) > side:
        raise ApiError.invalid_input("stride_too_large", "error.stride_too_large", {"max_stride": side}, side=side)


def _check_kernel(kernel_hw, pads, x: np.ndarray, limits, what: str = "kernel") -> None:
    kh, kw = kernel_hw
    t, b, l, r = pads
    _, h, w = x.shape
    if max(kh, kw) > limits.max_kernel_size:
        raise ApiError.invalid_input(
            "kernel_too_large",
            detail={"max_kernel_size": limits.max_kernel_size},
            What=_capitalised(NAMES[what]),
            size=f"{kh}×{kw}",
            limit=limits.max_kernel_size,
        )
    if kh > h + t + b or kw > w + l + r:
        raise ApiError.invalid_input(
            "kernel_larger_than_input",
            detail={"kernel": [kh, kw], "padded_input": [h + t + b, w + l + r]},
            What=_capitalised(NAMES[what]),
            size=f"{kh}×{kw}",
            padded=f"{h + t + b}×{w + l + r}",
        )


def _axis_formula(n: int, f: int, before: int, after: int, s: int) -> str:
    pad = f"2·{before}" if before == after else f"{before} + {after}"
    out = output_size(n, f, before + after, s)
    core = f"({n} − {f} + {pad})/{s}"
    return (f"⌊{core}⌋" if (n - f + before + after) % s else core) + f" + 1 = {out}"


def output_formula(x_shape, kernel_hw, pads, stride, layout: Layout) -> dict[str, Any]:
    _, h, w = x_shape
    (kh, kw), (t, b, l, r), (sh, sw) = kernel_hw, pads, stride
    return {
        "symbolic": SYMBOLIC,
        "height": None if layout.ndim == 1 else _axis_formula(h, kh, t, b, sh),
        "width": _axis_formula(w, kw, l, r, sw),
    }


def uneven_note(x_shape, kernel_hw, pads, stride, layout: Layout, lang: Lang) -> str | None:
    """Says which rows/columns the floor of the formula leaves out, or None when the stride divides evenly."""
    _, h, w = x_shape
    (kh, kw), (t, b, l, r), (sh, sw) = kernel_hw, pads, stride
    left_out = {"rows": (h - kh + t + b) % sh, "columns": (w - kw + l + r) % sw}
    if layout.ndim == 1:
        left_out["rows"] = 0
    parts = [(axis, n) for axis, n in left_out.items() if n]
    if not parts:
        return None
    left = message("sliding.and", lang).join(
        message(f"sliding.last_{axis}" + ("_one" if n == 1 else ""), lang, n=n) for axis, n in parts
    )
    return message("sliding.uneven_note", lang, left_out=left)


def window_at(x: np.ndarray, position: tuple[int, int], kernel_hw, stride) -> tuple[np.ndarray, list[int]]:
    """The (C, F_h, F_w) block of ``x`` (C, H, W) under the window of output ``position``, and its top-left cell."""
    (i, j), (kh, kw), (sh, sw) = position, kernel_hw, stride
    return x[:, i * sh : i * sh + kh, j * sw : j * sw + kw], [i * sh, j * sw]


def select_positions(requested, out_hw, limits) -> tuple[list[tuple[int, int]], int, bool]:
    ho, wo = out_hw
    total = ho * wo
    if requested is None:
        count = min(total, limits.default_detail_positions)
        return [divmod(k, wo) for k in range(count)], total, count < total
    if len(requested) > limits.max_detail_positions:
        raise ApiError.invalid_input(
            "too_many_positions", "error.too_many_positions", max_detail_positions=limits.max_detail_positions
        )
    for i, j in requested:
        if i >= ho or j >= wo:
            raise ApiError.invalid_input("position_out_of_range", "error.position_out_of_range", i=i, j=j, ho=ho, wo=wo)
    return [(int(i), int(j)) for i, j in requested], total, len(requested) < total


def convolve(req, limits, lang: Lang) -> dict[str, Any]:
    x, layout = as_chw(req.input, "input", limits)
    kernel, k_layout = as_chw(req.kernel, "kernel", limits)
    if k_layout.ndim != layout.ndim:
        raise ApiError.invalid_input("shape_mismatch", "error.shape_mismatch", ndim=k_layout.ndim, ndim2=layout.ndim)
    if kernel.shape[0] != x.shape[0]:
        raise ApiError.invalid_input(
            "shape_mismatch", "error.shape_mismatch.2", kernel_channels=kernel.shape[0], input_channels=x.shape[0]
        )
    _check_input_side(x, limits)
    stride = _pair(req.stride, layout, "stride")
    _check_stride(stride, limits)
    kernel_hw = kernel.shape[1:]
    padding = req.padding if isinstance(req.padding, str) else _pair(req.padding, layout, "padding", 0)
    pads = resolve_padding(padding, kernel_hw, stride, x.shape[1:])
    if max(pads) > limits.max_kernel_size:
        raise ApiError.invalid_input(
            "padding_too_large", "error.padding_too_large", max_kernel_size=limits.max_kernel_size
        )
    _check_kernel(kernel_hw, pads, x, limits)

    # the engine's layer does the computation: one filter, the client's kernel and bias, in float64
    layer = Conv2D(1, kernel_size=kernel_hw, stride=stride, padding=padding)
    layer.build(x.shape, np.random.default_rng(0), np.float64)
    layer.params = {"K": kernel[None], "b": np.array([req.bias], dtype=np.float64)}
    out = layer.forward(x[None])[0, 0]  # (Ho, Wo)
    x_pad = pad_images(x[None], pads)[0]

    chosen, total, truncated = select_positions(req.positions, out.shape, limits)
    details = []
    for i, j in chosen:
        window, origin = window_at(x_pad, (i, j), kernel_hw, stride)
        products = window * kernel
        channel_sums = products.sum(axis=(1, 2))
        details.append(
            {
                "position": [i, j],
                "origin": origin,
                "window": exact_list(layout.to_client(window)),
                "products": exact_list(layout.to_client(products)),
                "channel_sums": exact_list(channel_sums),
                "sum": exact_number(channel_sums.sum()),
                "bias": exact_number(req.bias),
                "value": exact_number(out[i, j]),
            }
        )
    client_out = out[0] if layout.ndim == 1 else out
    return {
        "output": exact_list(client_out),
        "output_shape": list(client_out.shape),
        "input_shape": list(layout.to_client(x).shape),
        "kernel_shape": list(layout.to_client(kernel).shape),
        "padded_input": exact_list(layout.to_client(x_pad)),
        "stride": list(stride),
        "padding": list(pads),
        "formula": output_formula(x.shape, kernel_hw, pads, stride, layout),
        "note": uneven_note(x.shape, kernel_hw, pads, stride, layout, lang),
        "positions": details,
        "total_positions": total,
        "truncated": truncated,
    }


def pool(req, limits, lang: Lang) -> dict[str, Any]:
    x, layout = as_chw(req.input, "input", limits)
    _check_input_side(x, limits)
    size = _pair(req.size, layout, "size")
    stride = _pair(req.stride if req.stride is not None else req.size, layout, "stride")
    pads = (0, 0, 0, 0)
    _check_kernel(size, pads, x, limits, "window")
    _check_stride(stride, limits)

    layer = POOLS[req.mode](size=size, stride=stride)
    out = layer.forward(x[None])[0]  # (C, Ho, Wo)
    argmax = layer.argmax_positions()[0] if req.mode == "max" else None  # (C, Ho, Wo, 2)

    chosen, total, truncated = select_positions(req.positions, out.shape[1:], limits)
    details = []
    for i, j in chosen:
        window, origin = window_at(x, (i, j), size, stride)
        details.append(
            {
                "position": [i, j],
                "origin": origin,
                "window": exact_list(layout.to_client(window)),
                "value": exact_list(out[:, i, j]) if layout.ndim == 3 else exact_number(out[0, i, j]),
                "argmax": None
                if argmax is None
                else (argmax[:, i, j].tolist() if layout.ndim == 3 else argmax[0, i, j].tolist()),
            }
        )
    client_argmax = None
    if argmax is not None:
        client_argmax = (argmax[0, 0, :, 1] if layout.ndim == 1 else layout.to_client(argmax)).tolist()
    client_out = layout.to_client(out)
    return {
        "mode": req.mode,
        "output": exact_list(client_out),
        "output_shape": list(client_out.shape),
        "input_shape": list(layout.to_client(x).shape),
        "size": list(size),
        "stride": list(stride),
        "formula": output_formula(x.shape, size, pads, stride, layout),
        "note": uneven_note(x.shape, size, pads, stride, layout, lang),
        "argmax": client_argmax,
        "positions": details,
        "total_positions": total,
        "truncated": truncated,
    }
