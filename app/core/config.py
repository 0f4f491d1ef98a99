"""One settings object for the whole server, read from ``CONVSTEP_*`` environment variables.

Every limit that protects the server from a hostile or careless client lives here, with a safe default,
so that a school server can tighten it without touching code (see the README's "Configuration" table).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024
# hard caps that are also the request schemas' bounds (the settings below can only lower them)
MAX_DETAIL_POSITIONS = 256
MAX_BACKWARD_STEPS = 50
MAX_GRADCHECK_ENTRIES = 20


def default_data_dir() -> Path:
    """A per-user data folder ($XDG_DATA_HOME/convstep, else ~/.local/share/convstep): never the repository."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "convstep"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONVSTEP_", extra="ignore", frozen=True)

    # -- models ---------------------------------------------------------------------------------------
    model_dir: Path | None = Field(
        None, description="Folder of extra .npz models (saved by `convstep train`); each file's name is its id."
    )
    model_file: Path | None = Field(
        None, description="One extra .npz model file to serve (its name is its id); it becomes the default model."
    )
    default_model: str | None = Field(
        None, description="Id of the model used when a request names none (default: the model file if set, else lenet)."
    )

    # -- request limits ---------------------------------------------------------------------------------
    max_body_bytes: int = Field(2 * MB, ge=1024, description="Largest accepted request body (413 above).")
    max_json_depth: int = Field(
        32,
        ge=4,
        le=500,
        description="Deepest nesting of arrays/objects in a JSON body (400 above); the API's "
        "requests nest 4 levels at most.",
    )
    max_image_pixels: int = Field(
        2048 * 2048, ge=28 * 28, description="Largest decoded image (width × height); decompression bombs stop here."
    )
    max_batch_images: int = Field(256, ge=1, description="Most images in one /api/predict request.")
    max_kernel_size: int = Field(
        15, ge=1, description="Largest kernel/pool side and padding in /api/convolve and /api/pool."
    )
    # 320: the notebook's (seed 004) 168×300 photo is pooled to 42×75 in the playground
    max_conv_input_side: int = Field(320, ge=4, description="Largest input side in /api/convolve and /api/pool.")
    max_conv_channels: int = Field(4, ge=1, description="Most input channels in /api/convolve and /api/pool.")
    max_detail_positions: int = Field(
        MAX_DETAIL_POSITIONS,
        ge=1,
        le=MAX_DETAIL_POSITIONS,
        description="Most per-position details (window, products, sum) in one convolve/pool answer.",
    )
    default_detail_positions: int = Field(64, ge=1, description="Positions detailed when none are requested.")
    max_backward_steps: int = Field(
        MAX_BACKWARD_STEPS,
        ge=1,
        le=MAX_BACKWARD_STEPS,
        description="Most repeated SGD steps in one /api/backward preview.",
    )
    max_gradcheck_entries: int = Field(
        MAX_GRADCHECK_ENTRIES,
        ge=1,
        le=MAX_GRADCHECK_ENTRIES,
        description="Most parameter entries checked by one /api/gradcheck.",
    )
    max_param_values: int = Field(
        200_000, ge=1, description="Largest tensor /api/models/{id}/params/… returns whole (bigger: ask by ?row=)."
    )

    # -- training jobs (live training) -------------------------------------------------------------------
    max_training_jobs: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=0,
        description="Training jobs that may run at the same time in this process (default: the CPU count; 0 turns "
        "live training off). With Redis, the training workers run the jobs instead.",
    )
    max_queued_jobs: int = Field(
        200, ge=0, description="Training jobs that may wait for their turn (429 with Retry-After beyond)."
    )
    redis_url: str | None = Field(
        None,
        description="redis://… : training jobs go through this Redis (RQ), run by `convstep worker` processes; "
        "unset: they run in the web process.",
    )
    training_job_ttl_s: int = Field(3600, ge=10, description="Seconds a finished training job (and its model) is kept.")
    max_training_epochs: int = Field(20, ge=1, description="Most epochs one training job may ask for.")

    # -- classes (stored data) ---------------------------------------------------------------------------
    data_dir: Path = Field(
        default_factory=lambda: default_data_dir(),
        description="Folder for stored data (the classes' SQLite database): default a per-user data folder "
        "($XDG_DATA_HOME/convstep or ~/.local/share/convstep), never the project folder.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the classes' database, e.g. postgresql+psycopg://user:pw@host/db "
        "(default: SQLite file convstep.db in CONVSTEP_DATA_DIR).",
    )
    class_ttl_days: float = Field(30, gt=0, description="Days after its last activity a class and its drawings go.")
    max_class_drawings: int = Field(5000, ge=1, description="Most drawings one class keeps (429 beyond).")
    drawing_interval_s: float = Field(1.0, ge=0, description="Least time between two drawings of one device (429).")
    max_wrong_codes_per_minute: int = Field(
        10,
        ge=1,
        description="Unknown class codes one device (or an address without device id) may try in a minute before "
        "it gets 429; one address, ten times as many.",
    )
    max_new_classes_per_hour: int = Field(30, ge=1, description="Classes one client may create in an hour (429).")
    max_drawing_png_bytes: int = Field(64 * 1024, ge=4096, description="Largest stored copy of a drawing's image.")
    class_heldout_fraction: float = Field(
        0.25, gt=0, lt=1, description="Share of a class's drawings held out from 'Learn our handwriting'."
    )

    # -- HTTP ----------------------------------------------------------------------------------------------
    cors_origins: str = Field(
        "", description="Comma-separated origins allowed to call the API from a browser (empty: CORS closed; * : any)."
    )
    gzip_min_bytes: int = Field(1000, ge=0, description="Responses larger than this are gzip-compressed.")
    gzip_level: int = Field(
        1,
        ge=1,
        le=9,
        description="gzip level: 1 squeezes a LeNet trace 3.4× in a few ms; 9 gains 20 % for 15× the time.",
    )

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def database_url_or_default(self) -> str:
        """The configured database, else the SQLite file in ``data_dir`` (created on first use)."""
        return self.database_url or f"sqlite:///{Path(self.data_dir).expanduser() / 'convstep.db'}"
