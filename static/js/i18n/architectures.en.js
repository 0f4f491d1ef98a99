// English strings of the famous architectures page (/architectures); same keys as architectures.fr.js (a browser
// test checks it). Registered by architectures.messages.js through lib/i18n.js addMessages(). Placeholders: {name}.
export default {
  "arch.title": "Famous architectures",
  "arch.heading": "The famous architectures, measured",
  "arch.intro":
    "From LeNet-5 to EfficientNet-B0: every output size computed with the course's formula (N − F + 2P)/S + 1, every parameter and multiply-add counted, layer by layer.",
  "arch.chapter": "Course chapter: the CNN course (003), chapter 1, part 4 “Some examples of convolutional networks”.",

  // ---- 1. comparison
  "arch.compare.title": "Ten networks side by side",
  "arch.chart.caption":
    "Horizontal: multiply-adds for one 224×224 image (logarithmic scale). Vertical: ImageNet top-1 of torchvision's weights for the same network. Disc area: number of parameters.",
  "arch.chart.label":
    "Chart of {n} networks: multiply-adds against ImageNet top-1, disc area for the parameters. The numbers are in the table below.",
  "arch.chart.x": "multiply-adds per image",
  "arch.chart.y": "top-1 (%)",
  "arch.chart.lenet": "LeNet-5 is not on the chart: it reads 32×32 digits (MNIST), not ImageNet photos.",
  "arch.compare.caption": "The chart's numbers",
  "arch.compare.note":
    "Published top-1: ImageNet (ILSVRC-2012 validation) accuracy as each paper reports it, with its own evaluation (one crop, 10 crops, several scales): see the source under each network. torchvision top-1: one 224×224 crop of the very network counted here.",
  "arch.compare.show": "Show the layers of {name}",
  "arch.col.network": "Network",
  "arch.col.year": "Year",
  "arch.col.params": "Parameters",
  "arch.col.macs": "Multiply-adds",
  "arch.col.memory": "Activations",
  "arch.col.top1": "Published top-1",
  "arch.col.tv_top1": "torchvision top-1",
  "arch.col.index": "#",
  "arch.col.layer": "Layer",
  "arch.col.type": "Type",
  "arch.col.output": "Output",
  "arch.col.formula": "(N − F + 2P)/S + 1",
  "arch.col.numpy": "NumPy",
  "arch.none": "—",

  // ---- 2. one network
  "arch.layers.title": "One network, layer by layer",
  "arch.layers.network": "Network",
  "arch.layers.input": "Input side (pixels)",
  "arch.layers.reset": "Paper's size",
  "arch.layers.legend":
    "⌊x⌋: rounded down (the window does not fit a last time); ⌈x⌉: rounded up (ceil mode). ✓ NumPy: the engine also runs this layer with real numbers, forward and backward; the others are shape-only here. Activations: the layer's output for one image, in float32 (4 bytes a value).",
  "arch.layers.caption": "{name} on a {shape} input: {n} rows",
  "arch.layers.loading": "Computing…",
  "arch.totals":
    "Total: {params} parameters · {macs} multiply-adds ({gmacs}) · {memory} of activations for one image · output {shape}",
  "arch.about.year": "{year}",
  "arch.about.introduced": "What it introduced",
  "arch.about.top1": "Published ImageNet top-1: {top1}",
  "arch.about.no_top1": "No published ImageNet top-1",
  "arch.about.tv": "torchvision's weights for this network: {top1} top-1.",
  "arch.about.variant": "What is counted here",
  "arch.about.course": "What the course says",
  "arch.lenet5.course":
    "The course dates LeNet 1990 and ends it with a dense layer and a softmax. The LeNet-5 counted here is the one of the 1998 paper (the first LeNets date from 1989), whose output is 10 Euclidean RBF units; today's re-implementations end with dense + softmax, as the course describes.",
  "arch.alexnet.course":
    "The course gives “650K units, 60M parameters”: the paper's two-GPU network. The one-GPU variant counted here has {params} parameters.",
  "arch.vgg16.course":
    "The course gives “138 million parameters, about 500 MB”: counted here, {params} parameters, {memory} in float32 (4 bytes each). It also says every convolution is followed by a sub-sampling layer, with 2×2 and 3×3 filters: the table has {convs} convolutions, all 3×3, and {pools} 2×2 max poolings, one after each group of 2 or 3 convolutions (2×2 is the pooling window).",
  "arch.vgg19.course":
    "The course says every convolution is followed by a sub-sampling layer, with 2×2 and 3×3 filters: the table has {convs} convolutions, all 3×3, and {pools} 2×2 max poolings, one after each group of 2 or 4 convolutions (2×2 is the pooling window).",
  "arch.row.total": "Total",
  "arch.row.residual": "add the branches",
  "arch.row.concat": "concatenate the branches",
  "arch.row.se": "rescale the channels",
  "arch.row.block_params": "block: {params} parameters",
  "arch.row.numpy": "runs in NumPy",
  "arch.row.shape_only": "shape only",
  "arch.detail.maps": "{used} of {all} input maps",

  // ---- the networks
  "arch.lenet5.intro":
    "Convolutions with shared weights, then subsampling, then more convolutions, all trained end to end by backpropagation, for handwritten digits (cheques, zip codes). C3 sees only some of S2's maps (Table I of the paper) to save connections and break the symmetry; the output layer measures the distance to one prototype per digit (RBF units).",
  "arch.lenet5.variant":
    "As published: 32×32 input, subsampling layers with a trained coefficient and bias (2 parameters per map), tanh squashing, C3's connection table, 840 RBF parameters (fixed by hand in the paper, counted here).",
  "arch.lenet5.source": "MNIST, not ImageNet: 0.95 % test error (0.8 % with distortions), section III.C of the paper",
  "arch.alexnet.intro":
    "A deep CNN trained on two GPUs that won ILSVRC-2012 by a wide margin: ReLU instead of tanh (training several times faster), dropout in the dense layers, data augmentation, local response normalisation and overlapping pooling (3×3 windows, stride 2).",
  "arch.alexnet.variant":
    "torchvision's AlexNet is the one-GPU variant of “One weird trick” (Krizhevsky, 2014): 64-192-384-256-256 filters, no LRN, no split in two groups. Its first layer pads by 2: (224 − 11 + 4)/4 = 54.25 does not divide, so the size is ⌊54.25⌋ + 1 = 55.",
  "arch.alexnet.source": "Table 2: one CNN, 40.7 % top-1 error on ILSVRC-2012 validation",
  "arch.vgg16.intro":
    "Only 3×3 convolutions (stride 1, padding 1, which keeps the size) and 2×2 max pooling, stacked deep: two 3×3 layers see as far as one 5×5 with fewer parameters and one more ReLU. Most of the parameters sit in the first dense layer (25,088 × 4,096).",
  "arch.vgg16.variant": "Configuration D of the paper, as torchvision builds it.",
  "arch.vgg16.source": "Table 4: configuration D, multi-scale evaluation, 24.8 % top-1 error",
  "arch.vgg19.intro":
    "VGG-16 with one more 3×3 convolution in each of the last three stages: 19 weight layers, 5 M more parameters and 27 % more multiply-adds for about the same accuracy.",
  "arch.vgg19.variant": "Configuration E of the paper, as torchvision builds it.",
  "arch.vgg19.source": "Table 4: configuration E, multi-scale evaluation, 24.8 % top-1 error",
  "arch.googlenet.intro":
    "The Inception module: 1×1, 3×3 and 5×5 convolutions and a pooling side by side, concatenated; 1×1 convolutions first reduce the channels so that the big kernels stay cheap. 22 layers, 12 times fewer parameters than AlexNet according to the paper, and global average pooling instead of big dense layers.",
  "arch.googlenet.variant":
    "As torchvision builds it: batch normalisation after every convolution, no auxiliary classifiers, and a 3×3 kernel in the '5×5' branch (a known slip torchvision keeps so that its weights still load). The pooling layers round up (ceil mode).",
  "arch.googlenet.source": "the paper gives top-5 only: 6.67 % error (7 models, 144 crops, ILSVRC-2014 test)",
  "arch.resnet18.intro":
    "Residual connections: each block learns F(x) and outputs F(x) + x, so the gradient also flows through the identity and very deep networks train. Batch normalisation after every convolution; a 1×1 convolution on the shortcut when the shape changes.",
  "arch.resnet18.variant": "Two 3×3 convolutions per block (basic block), 2-2-2-2 blocks, as torchvision builds it.",
  "arch.resnet18.source": "Table 2: 27.88 % top-1 error, 10 crops, ILSVRC-2012 validation",
  "arch.resnet50.intro":
    "Bottleneck blocks: a 1×1 convolution reduces the channels by 4, a 3×3 works on fewer channels, a 1×1 restores them, and the input is added back. 3-4-6-3 blocks, 50 weight layers.",
  "arch.resnet50.variant":
    "torchvision's v1.5: the stride is on the 3×3 convolution of the bottleneck (on the first 1×1 in the paper); same parameters, a few more multiply-adds.",
  "arch.resnet50.source": "Table 3: 22.85 % top-1 error, 10 crops, ILSVRC-2012 validation",
  "arch.resnet152.intro":
    "The same bottleneck blocks, 3-8-36-3 of them: 152 weight layers, still fewer multiply-adds than VGG-16, and the winner of ILSVRC-2015.",
  "arch.resnet152.variant": "torchvision's v1.5 (stride on the 3×3 convolution of the bottleneck).",
  "arch.resnet152.source": "Table 3: 21.43 % top-1 error, 10 crops, ILSVRC-2012 validation",
  "arch.densenet121.intro":
    "Dense connectivity: inside a block, each layer receives the concatenation of all earlier maps and adds only 32 new ones (the growth rate); transitions halve the channels and the size. Features are reused instead of recomputed: 8 M parameters.",
  "arch.densenet121.variant":
    "Blocks of 6-12-24-16 layers, growth rate 32, 1×1 bottlenecks of 128 maps, as torchvision builds it.",
  "arch.densenet121.source": "Table 3: 25.02 % top-1 error, one crop, ILSVRC-2012 validation",
  "arch.efficientnet_b0.intro":
    "A base network found by architecture search, meant to be scaled in depth, width and resolution together (compound scaling). MBConv blocks: 1×1 expansion, depthwise convolution (one filter per channel), squeeze-and-excitation, 1×1 projection, and the SiLU (swish) activation.",
  "arch.efficientnet_b0.variant":
    "As torchvision builds it: squeeze-and-excitation down to a quarter of the block's input channels, a residual addition where the shape allows it.",
  "arch.efficientnet_b0.source":
    "Table 2 of arXiv:1905.11946v5 (2020): 77.1 % top-1, ILSVRC-2012 validation (76.3 % in the ICML 2019 version)",

  // ---- layer types
  "arch.type.conv2d": "convolution",
  "arch.type.dwconv2d": "depthwise conv.",
  "arch.type.maxpool": "max pooling",
  "arch.type.avgpool": "average pooling",
  "arch.type.subsample": "subsampling",
  "arch.type.adaptive_avgpool": "adaptive avg. pooling",
  "arch.type.global_avgpool": "global avg. pooling",
  "arch.type.batchnorm": "batch norm",
  "arch.type.lrn": "LRN",
  "arch.type.relu": "ReLU",
  "arch.type.leaky_relu": "leaky ReLU",
  "arch.type.tanh": "tanh",
  "arch.type.sigmoid": "sigmoid",
  "arch.type.silu": "SiLU",
  "arch.type.softmax": "softmax",
  "arch.type.dropout": "dropout",
  "arch.type.flatten": "flatten",
  "arch.type.dense": "dense",
  "arch.type.rbf": "RBF output",
  "arch.type.residual": "residual add",
  "arch.type.concat": "concatenation",
  "arch.type.se": "squeeze-excitation",

  // ---- 3. your stack
  "arch.stack.title": "Your stack",
  "arch.stack.input": "Input (channels × height × width)",
  "arch.stack.channels": "Channels",
  "arch.stack.height": "Height",
  "arch.stack.width": "Width",
  "arch.stack.layers": "Layers, one per line",
  "arch.stack.help": "Type a layer type, then its numbers:",
  "arch.stack.help_conv": "64 filters 3×3, stride 2, padding 1 (g4: 4 groups; same; nobias)",
  "arch.stack.help_dw": "depthwise 3×3: one filter per channel",
  "arch.stack.help_pool": "window 3 (also avgpool; ceil rounds up)",
  "arch.stack.help_se": "squeeze-and-excitation through 16 units",
  "arch.stack.run": "Measure",
  "arch.stack.example": "ResNet's first layers",
  "arch.stack.caption": "Your stack, layer by layer",
  "arch.stack.line": "line {line}",

  // ---- units
  "arch.unit.bytes": "{n} B",
  "arch.unit.kb": "{n} kB",
  "arch.unit.mb": "{n} MB",
  "arch.unit.gb": "{n} GB",
  "arch.unit.k": "{n} k",
  "arch.unit.m": "{n} M",
  "arch.unit.g": "{n} G",
};
