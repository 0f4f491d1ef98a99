"""SQLAlchemy 2 models: a class (``classroom``) and its students' drawings.

No personal data: a class is a random code and the SHA-256 hash of its teacher token; a drawing is a digit label,
a random device id made by the student's browser, a time, its 28×28 network input and a small PNG of the original.
Deleting a class deletes its drawings (``ON DELETE CASCADE``, and the ORM cascade for SQLite connections that do
not enforce foreign keys).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# stable constraint names, so that migrations can name what they change on every database
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Classroom(Base):
    __tablename__ = "classroom"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of the teacher token: never the token
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # bumped on every change of the class's data: dashboards (in any worker process) poll it to stay live
    revision: Mapped[int] = mapped_column(Integer, default=0)
    model_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # "class-abc234" once trained
    training_job: Mapped[str | None] = mapped_column(String(64), nullable=True)
    training_result: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: before/after accuracies
    # the class's own model ("Learn our handwriting") as .npz bytes: every worker process, and a restarted
    # server, serves it from here
    model_npz: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)

    drawings: Mapped[list[Drawing]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", passive_deletes=True
    )


class Drawing(Base):
    __tablename__ = "drawing"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # random: its image's link is a capability
    class_code: Mapped[str] = mapped_column(ForeignKey("classroom.code", ondelete="CASCADE"))
    device_id: Mapped[str] = mapped_column(String(64))
    label: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # loaded only when asked for (lists and summaries never need them)
    pixels: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # 784 bytes: the 28×28 input, uint8
    png: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # the drawing as sent (PNG), at most 64 kB
    # the last prediction, and the model that made it (recomputed when the class's model changes)
    pred_model: Mapped[str] = mapped_column(String(64))
    pred_label: Mapped[int] = mapped_column(SmallInteger)
    pred_probs: Mapped[str] = mapped_column(Text)  # JSON list of 10 probabilities
    p_label: Mapped[float] = mapped_column(Float)  # probability of the true label (the "hardest" are the lowest)

    classroom: Mapped[Classroom] = relationship(back_populates="drawings")

    __table_args__ = (
        Index("ix_drawing_class_created", "class_code", "created_at"),
        Index("ix_drawing_class_device", "class_code", "device_id"),
    )
