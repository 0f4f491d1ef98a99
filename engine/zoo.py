"""The famous CNN architectures of the course's last chapter, as compact shape-only specs (see engine/shapes.py).

Why one file of over 400 lines: it is a catalogue, nine networks each written as a short spec with its source note, kept side by
side so that they read (and compare) alike.

Nothing here is a result: each network is written the way its paper or torchvision builds it (stage lists, block
functions), and :func:`engine.shapes.measure` computes every shape, parameter and multiply-add. The ImageNet
networks follow torchvision's implementations, whose parameter counts are the reference the tests compare with
(``tests/engine/test_zoo.py``); where torchvision differs from the paper, :data:`ARCHITECTURES` says how.

LeNet-5 is the 1998 network as published: 32×32 input, C1 6@28×28, subsampling layers (average × a trained
coefficient + bias), C3's partial connection table, tanh squashing, C5 as a 5×5 convolution, F6 84, and the
Euclidean RBF output layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .shapes import Measurement, measure


# -- building blocks ------------------------------------------------------------------------------------------------
def conv(filters, k, s=1, p=0, name=None, bias=True, groups=1) -> dict:
    layer = {"type": "conv2d", "filters": filters, "kernel_size": k, "stride": s, "padding": p, "use_bias": bias}
    if groups != 1:
        layer["groups"] = groups
    return {**layer, "name": name} if name else layer


def named(kind: str, name: str, **options) -> dict:
    return {"type": kind, "name": name, **options}


def conv_bn(filters, k, s=1, p=0, prefix="", act="relu", suffix="") -> list[dict]:
    """conv (no bias: the batch norm's β replaces it) -> batch norm -> activation."""
    layers = [conv(filters, k, s, p, f"{prefix}conv{suffix}", bias=False), named("batchnorm", f"{prefix}bn{suffix}")]
    return layers + ([named(act, f"{prefix}{act}{suffix}")] if act else [])


# -- LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998) ----------------------------------------------------------------
# Table I of the paper: the S2 maps (rows 0-5) each C3 map (0-15) is connected to.
LENET5_C3_TABLE = [
    *[[(i + d) % 6 for d in range(3)] for i in range(6)],  # maps 0-5: three neighbouring S2 maps
    *[[(i + d) % 6 for d in range(4)] for i in range(6)],  # maps 6-11: four neighbouring maps
    [0, 1, 3, 4],  # maps 12-14: four maps, not all neighbours
    [1, 2, 4, 5],
    [0, 2, 3, 5],
    list(range(6)),  # map 15: all six
]


def lenet5() -> list[dict]:
    return [
        conv(6, 5, name="C1"),
        named("tanh", "tanh1"),
        named("subsample", "S2", size=2, stride=2),
        named("tanh", "tanh2"),
        {"type": "conv2d", "name": "C3", "filters": 16, "kernel_size": 5, "connections": LENET5_C3_TABLE},
        named("tanh", "tanh3"),
        named("subsample", "S4", size=2, stride=2),
        named("tanh", "tanh4"),
        conv(120, 5, name="C5"),
        named("tanh", "tanh5"),
        named("flatten", "flatten"),
        named("dense", "F6", units=84),
        named("tanh", "tanh6"),
        named("rbf", "output", units=10),
    ]


# -- AlexNet (torchvision: the "one weird trick" variant, Krizhevsky 2014) -------------------------------------------
def alexnet() -> list[dict]:
    return [
        conv(64, 11, 4, 2, "conv1"),
        named("relu", "relu1"),
        named("maxpool", "pool1", size=3, stride=2),
        conv(192, 5, 1, 2, "conv2"),
        named("relu", "relu2"),
        named("maxpool", "pool2", size=3, stride=2),
        conv(384, 3, 1, 1, "conv3"),
        named("relu", "relu3"),
        conv(256, 3, 1, 1, "conv4"),
        named("relu", "relu4"),
        conv(256, 3, 1, 1, "conv5"),
        named("relu", "relu5"),
        named("maxpool", "pool5", size=3, stride=2),
        named("adaptive_avgpool", "avgpool", output=6),
        named("flatten", "flatten"),
        *classifier([4096, 4096], 1000, dropout_first=True),
    ]


def classifier(hidden: list[int], classes: int, dropout_first: bool = False) -> list[dict]:
    """Dense layers with ReLU and dropout: AlexNet drops before each hidden layer, VGG after."""
    layers: list[dict] = []
    for i, units in enumerate(hidden, start=1):
        if dropout_first:
            layers.append(named("dropout", f"drop{i}", rate=0.5))
        layers += [named("dense", f"fc{i}", units=units), named("relu", f"fc{i}.relu")]
        if not dropout_first:
            layers.append(named("dropout", f"drop{i}", rate=0.5))
    return [*layers, named("dense", f"fc{len(hidden) + 1}", units=classes)]


# -- VGG (Simonyan & Zisserman, 2014) -------------------------------------------------------------------------------
VGG_STAGES = {16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4]}  # 3×3 convolutions per stage (configurations D and E)


def vgg(depth: int) -> list[dict]:
    layers: list[dict] = []
    for stage, (count, filters) in enumerate(zip(VGG_STAGES[depth], [64, 128, 256, 512, 512]), start=1):
        for i in range(1, count + 1):
            layers += [conv(filters, 3, 1, 1, f"conv{stage}_{i}"), named("relu", f"relu{stage}_{i}")]
        layers.append(named("maxpool", f"pool{stage}", size=2, stride=2))
    return [
        *layers,
        named("adaptive_avgpool", "avgpool", output=7),
        named("flatten", "flatten"),
        *classifier([4096, 4096], 1000),
    ]


# -- GoogLeNet (Szegedy et al., 2014), as torchvision builds it ------------------------------------------------------
# (1×1, 3×3 reduce, 3×3, "5×5" reduce, "5×5", pool projection) filters, Table 1 of the paper.
INCEPTION = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}


def inception(name: str) -> dict:
    """Four branches concatenated. torchvision's third branch uses a 3×3 convolution where the paper has 5×5 (a
    known slip it keeps so that its trained weights still load); we follow it so that the totals match."""
    c1, r3, c3, r5, c5, proj = INCEPTION[name]
    return {
        "type": "concat",
        "name": f"inception{name}",
        "branches": [
            conv_bn(c1, 1, prefix="1x1."),
            conv_bn(r3, 1, prefix="3x3_reduce.") + conv_bn(c3, 3, 1, 1, prefix="3x3."),
            conv_bn(r5, 1, prefix="5x5_reduce.") + conv_bn(c5, 3, 1, 1, prefix="5x5."),
            [named("maxpool", "pool", size=3, stride=1, padding=1, ceil_mode=True), *conv_bn(proj, 1, prefix="proj.")],
        ],
    }


def googlenet() -> list[dict]:
    def pool(name, size=3):
        return named("maxpool", name, size=size, stride=2, ceil_mode=True)

    return [
        *conv_bn(64, 7, 2, 3, prefix="conv1."),
        pool("maxpool1"),
        *conv_bn(64, 1, prefix="conv2."),
        *conv_bn(192, 3, 1, 1, prefix="conv3."),
        pool("maxpool2"),
        inception("3a"),
        inception("3b"),
        pool("maxpool3"),
        *[inception(n) for n in ("4a", "4b", "4c", "4d", "4e")],
        pool("maxpool4", 2),
        inception("5a"),
        inception("5b"),
        named("global_avgpool", "avgpool"),
        named("flatten", "flatten"),
        named("dropout", "dropout", rate=0.2),
        named("dense", "fc", units=1000),
    ]


# -- ResNet (He, Zhang, Ren & Sun, 2015), torchvision's v1.5 (stride on the 3×3 of the bottleneck) --------------------
RESNET = {18: ("basic", [2, 2, 2, 2]), 50: ("bottleneck", [3, 4, 6, 3]), 152: ("bottleneck", [3, 8, 36, 3])}


def residual_block(name: str, kind: str, in_ch: int, width: int, stride: int) -> tuple[dict, int]:
    out_ch = width * (4 if kind == "bottleneck" else 1)
    if kind == "basic":
        body = conv_bn(width, 3, stride, 1, suffix="1") + conv_bn(width, 3, 1, 1, act=None, suffix="2")
    else:
        body = (
            conv_bn(width, 1, suffix="1")
            + conv_bn(width, 3, stride, 1, suffix="2")
            + conv_bn(out_ch, 1, act=None, suffix="3")
        )
    shortcut = conv_bn(out_ch, 1, stride, 0, "", act=None) if stride != 1 or in_ch != out_ch else []
    block = {"type": "residual", "name": name, "branches": [body, shortcut]}
    return block, out_ch


def resnet(depth: int) -> list[dict]:
    kind, counts = RESNET[depth]
    layers = [*conv_bn(64, 7, 2, 3, prefix="stem."), named("maxpool", "maxpool", size=3, stride=2, padding=1)]
    channels = 64
    for stage, (count, width) in enumerate(zip(counts, [64, 128, 256, 512]), start=1):
        for i in range(count):
            block, channels = residual_block(
                f"layer{stage}.{i}", kind, channels, width, 2 if i == 0 and stage > 1 else 1
            )
            layers += [block, named("relu", f"layer{stage}.{i}.relu")]
    return [*layers, named("global_avgpool", "avgpool"), named("flatten", "flatten"), named("dense", "fc", units=1000)]


# -- DenseNet-121 (Huang, Liu, van der Maaten & Weinberger, 2016) -----------------------------------------------------
def densenet121(growth: int = 32, blocks=(6, 12, 24, 16), bn_size: int = 4) -> list[dict]:
    """Each dense layer concatenates its input with ``growth`` new maps (BN-ReLU-1×1 conv-BN-ReLU-3×3 conv);
    a transition halves the channels and the map size."""
    layers = [
        conv(64, 7, 2, 3, "conv0", bias=False),
        named("batchnorm", "norm0"),
        named("relu", "relu0"),
        named("maxpool", "pool0", size=3, stride=2, padding=1),
    ]
    channels = 64
    for b, count in enumerate(blocks, start=1):
        for i in range(1, count + 1):
            new = [
                named("batchnorm", "norm1"),
                named("relu", "relu1"),
                conv(bn_size * growth, 1, name="conv1", bias=False),
                named("batchnorm", "norm2"),
                named("relu", "relu2"),
                conv(growth, 3, 1, 1, "conv2", bias=False),
            ]
            layers.append({"type": "concat", "name": f"denseblock{b}.layer{i}", "branches": [[], new]})
            channels += growth
        if b < len(blocks):
            channels //= 2
            layers += [
                named("batchnorm", f"transition{b}.norm"),
                named("relu", f"transition{b}.relu"),
                conv(channels, 1, name=f"transition{b}.conv", bias=False),
                named("avgpool", f"transition{b}.pool", size=2, stride=2),
            ]
    return [
        *layers,
        named("batchnorm", "norm5"),
        named("relu", "relu5"),
        named("global_avgpool", "avgpool"),
        named("flatten", "flatten"),
        named("dense", "classifier", units=1000),
    ]


# -- EfficientNet-B0 (Tan & Le, 2019) --------------------------------------------------------------------------------
# (expansion, kernel, stride, input channels, output channels, layers): the MBConv stages of B0 (Table 1).
EFFICIENTNET_B0 = [
    (1, 3, 1, 32, 16, 1),
    (6, 3, 2, 16, 24, 2),
    (6, 5, 2, 24, 40, 2),
    (6, 3, 2, 40, 80, 3),
    (6, 5, 1, 80, 112, 3),
    (6, 5, 2, 112, 192, 4),
    (6, 3, 1, 192, 320, 1),
]


def mbconv(name: str, expand: int, k: int, stride: int, in_ch: int, out_ch: int) -> dict | list[dict]:
    """Inverted residual: 1×1 expansion, depthwise k×k, squeeze-and-excitation (to in_ch/4), 1×1 projection;
    the input is added back when the shape allows it."""
    mid = in_ch * expand
    body = conv_bn(mid, 1, prefix="expand.", act="silu") if expand != 1 else []
    body += [
        {
            "type": "dwconv2d",
            "name": "depthwise.conv",
            "kernel_size": k,
            "stride": stride,
            "padding": (k - 1) // 2,
            "use_bias": False,
        },
        named("batchnorm", "depthwise.bn"),
        named("silu", "depthwise.silu"),
        {"type": "se", "name": "se", "squeeze": max(1, in_ch // 4), "activation": "silu"},
        *conv_bn(out_ch, 1, prefix="project.", act=None),
    ]
    if stride == 1 and in_ch == out_ch:
        return {"type": "residual", "name": name, "branches": [body, []]}
    return [{**layer, "name": f"{name}.{layer['name']}"} for layer in body]


def efficientnet_b0() -> list[dict]:
    layers = conv_bn(32, 3, 2, 1, prefix="stem.", act="silu")
    for stage, (expand, k, stride, in_ch, out_ch, count) in enumerate(EFFICIENTNET_B0, start=1):
        for i in range(count):
            block = mbconv(f"stage{stage}.{i}", expand, k, stride if i == 0 else 1, in_ch if i == 0 else out_ch, out_ch)
            layers += block if isinstance(block, list) else [block]
    return [
        *layers,
        *conv_bn(1280, 1, prefix="head.", act="silu"),
        named("global_avgpool", "avgpool"),
        named("flatten", "flatten"),
        named("dropout", "dropout", rate=0.2),
        named("dense", "classifier", units=1000),
    ]


# -- the catalogue ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Architecture:
    """A famous network: how to build its spec, and what the literature says about it.

    ``top1``: the ImageNet (ILSVRC-2012 validation) top-1 accuracy, in %, that its paper publishes, with where
    (``top1_source``); None when the paper gives none. ``torchvision_top1``: the accuracy torchvision measured for
    the weights of exactly the network counted here (its ``IMAGENET1K_V1`` weights' ``acc@1``)."""

    key: str
    name: str
    year: int
    build: Callable[[], list[dict]]
    input_shape: tuple[int, int, int]
    paper: str
    top1: float | None
    top1_source: str
    torchvision_top1: float | None
    torchvision: str | None  # torchvision's builder, when there is one

    def spec(self) -> list[dict]:
        return self.build()

    def measure(self, size: int | None = None) -> Measurement:
        c, h, w = self.input_shape
        return measure(self.build(), (c, size or h, size or w))


ARCHITECTURES: dict[str, Architecture] = {
    a.key: a
    for a in [
        Architecture(
            "lenet5",
            "LeNet-5",
            1998,
            lenet5,
            (1, 32, 32),
            "LeCun, Bottou, Bengio & Haffner, Gradient-based learning applied to document recognition, Proc. IEEE 1998",
            None,
            "MNIST, not ImageNet: 0.95 % test error (0.8 % with distortions), section III.C",
            None,
            None,
        ),
        Architecture(
            "alexnet",
            "AlexNet",
            2012,
            alexnet,
            (3, 224, 224),
            "Krizhevsky, Sutskever & Hinton, ImageNet classification with deep convolutional neural networks, NIPS 2012",
            59.3,
            "Table 2: one CNN, 40.7 % top-1 error on ILSVRC-2012 validation",
            56.522,
            "alexnet",
        ),
        Architecture(
            "vgg16",
            "VGG-16",
            2014,
            lambda: vgg(16),
            (3, 224, 224),
            "Simonyan & Zisserman, Very deep convolutional networks for large-scale image recognition, ICLR 2015",
            75.2,
            "Table 4: configuration D, multi-scale evaluation, 24.8 % top-1 error",
            71.592,
            "vgg16",
        ),
        Architecture(
            "vgg19",
            "VGG-19",
            2014,
            lambda: vgg(19),
            (3, 224, 224),
            "Simonyan & Zisserman, Very deep convolutional networks for large-scale image recognition, ICLR 2015",
            75.2,
            "Table 4: configuration E, multi-scale evaluation, 24.8 % top-1 error",
            72.376,
            "vgg19",
        ),
        Architecture(
            "googlenet",
            "GoogLeNet",
            2014,
            googlenet,
            (3, 224, 224),
            "Szegedy et al., Going deeper with convolutions, CVPR 2015",
            None,
            "the paper gives top-5 only: 6.67 % error (7 models, 144 crops, ILSVRC-2014 test)",
            69.778,
            "googlenet",
        ),
        Architecture(
            "resnet18",
            "ResNet-18",
            2015,
            lambda: resnet(18),
            (3, 224, 224),
            "He, Zhang, Ren & Sun, Deep residual learning for image recognition, CVPR 2016",
            72.12,
            "Table 2: 27.88 % top-1 error, 10-crop, ILSVRC-2012 validation",
            69.758,
            "resnet18",
        ),
        Architecture(
            "resnet50",
            "ResNet-50",
            2015,
            lambda: resnet(50),
            (3, 224, 224),
            "He, Zhang, Ren & Sun, Deep residual learning for image recognition, CVPR 2016",
            77.15,
            "Table 3: 22.85 % top-1 error, 10-crop, ILSVRC-2012 validation",
            76.130,
            "resnet50",
        ),
        Architecture(
            "resnet152",
            "ResNet-152",
            2015,
            lambda: resnet(152),
            (3, 224, 224),
            "He, Zhang, Ren & Sun, Deep residual learning for image recognition, CVPR 2016",
            78.57,
            "Table 3: 21.43 % top-1 error, 10-crop, ILSVRC-2012 validation",
            78.312,
            "resnet152",
        ),
        Architecture(
            "densenet121",
            "DenseNet-121",
            2016,
            densenet121,
            (3, 224, 224),
            "Huang, Liu, van der Maaten & Weinberger, Densely connected convolutional networks, CVPR 2017",
            74.98,
            "Table 3: 25.02 % top-1 error, single crop, ILSVRC-2012 validation",
            74.434,
            "densenet121",
        ),
        Architecture(
            "efficientnet_b0",
            "EfficientNet-B0",
            2019,
            efficientnet_b0,
            (3, 224, 224),
            "Tan & Le, EfficientNet: rethinking model scaling for convolutional neural networks, ICML 2019",
            77.1,
            "Table 2 of arXiv:1905.11946v5 (2020): 77.1 % top-1, ILSVRC-2012 validation (76.3 % in the ICML 2019 version)",
            77.692,
            "efficientnet_b0",
        ),
    ]
}
