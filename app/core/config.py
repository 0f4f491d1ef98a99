"""One settings object for the whole server, read from ``CONVSTEP_*`` environment variables.

Every limit that protects the server from a hostile or careless client lives here, with a safe default,
so that a school server can tighten it without touching code (see the README's "Configuration" table).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024
# hard caps that are also the request schemas' bounds (the settings below can only lower them)
MAX_DETAIL_POSITIONS = 256
MAX_BACKWARD_STEPS = 50
MAX_GRADCHECK_ENTRIES = 20


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
    max_training_jobs: int = Field(2, ge=0, description="Training jobs that may run at the same time.")
    training_job_ttl_s: int = Field(3600, ge=10, description="Seconds a finished training job (and its model) is kept.")
    max_training_epochs: int = Field(20, ge=1, description="Most epochs one training job may ask for.")

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
