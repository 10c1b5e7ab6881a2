"""The policy catalog: regions, departments, documents, sections, measures, units, targets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, SyncMixin, utcnow
from models.dialect import JSON


class Region(Base):
    """行政区划, keyed by its 6-digit code; ``parent_code`` makes the tree."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    short: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), default=None)


class Department(Base):
    """A canonical department of one region (中宁县卫生健康局), with the names it goes by."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("region_code", "name"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), default=None)
    # the kind of department: 卫生健康, 人力资源和社会保障, …
    kind: Mapped[str | None] = mapped_column(String(32), default=None)
    name: Mapped[str] = mapped_column(String(128))

    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )


class DepartmentAlias(Base):
    __tablename__ = "department_aliases"
    __table_args__ = (UniqueConstraint("department_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(128))

    department: Mapped[Department] = relationship(back_populates="aliases")


class PolicyDocument(SyncMixin, Base):
    __tablename__ = "policy_documents"

    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # deterministic, from the text
    title: Mapped[str] = mapped_column(Text)
    short: Mapped[str] = mapped_column(String(32))  # used in measure refs: 中宁, 宝鸡, …
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), default=None)
    issuers: Mapped[list[str]] = mapped_column(default=list)
    doc_number: Mapped[str | None] = mapped_column(String(64), default=None)
    date: Mapped[str | None] = mapped_column(String(10), default=None)  # ISO
    flags: Mapped[list[str]] = mapped_column(default=list)
    source_name: Mapped[str | None] = mapped_column(String(255), default=None)
    source_text: Mapped[str] = mapped_column(Text, default="")
    bundled: Mapped[bool] = mapped_column(Boolean, default=False)  # shipped with the app
    # what a person corrected in the parse before saving: [{op, target, detail}]
    corrections: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Section.position"
    )
    measures: Mapped[list[Measure]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Measure.position"
    )
    targets: Mapped[list[Target]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        primaryjoin="and_(Target.document_id == PolicyDocument.id, Target.measure_id.is_(None))",
        order_by="Target.position",
        viewonly=True,
    )


class Section(Base):
    """举措: a numbered group of measures; preamble sections hold document-level targets."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("document_id", "path"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("policy_documents.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    preamble: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)

    document: Mapped[PolicyDocument] = relationship(back_populates="sections")


class Measure(SyncMixin, Base):
    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("document_id", "path"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # from document id + path
    document_id: Mapped[str] = mapped_column(
        ForeignKey("policy_documents.id", ondelete="CASCADE"), index=True
    )
    section_path: Mapped[str | None] = mapped_column(String(64), default=None)
    section_title: Mapped[str | None] = mapped_column(Text, default=None)
    number: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str] = mapped_column(Text)
    flags: Mapped[list[str]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer)

    document: Mapped[PolicyDocument] = relationship(back_populates="measures")
    units: Mapped[list[MeasureUnit]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="MeasureUnit.position"
    )
    targets: Mapped[list[Target]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="Target.position"
    )
    topics: Mapped[list[MeasureTopic]] = relationship(
        back_populates="measure", cascade="all, delete-orphan"
    )


class MeasureUnit(SyncMixin, Base):
    """A department named for a measure. ``name`` is as written; ``assigned`` ones were added
    by a user after import and are never mixed with the document's own words."""

    __tablename__ = "measure_units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[str] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))  # lead | responsible | inherited | assigned
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    department_id: Mapped[str | None] = mapped_column(
        ForeignKey("departments.id"), default=None, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    measure: Mapped[Measure] = relationship(back_populates="units")
    department: Mapped[Department | None] = relationship()


class Target(Base):
    """目标指标. ``measure_id`` is None for a document-level target from the preamble."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("policy_documents.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[str | None] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), default=None, index=True
    )
    indicator: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float, default=None)
    unit: Mapped[str] = mapped_column(String(32))
    comparator: Mapped[str] = mapped_column(String(8))
    deadline: Mapped[str | None] = mapped_column(String(10), default=None)
    recurrent: Mapped[str | None] = mapped_column(String(64), default=None)
    soft: Mapped[bool] = mapped_column(Boolean, default=False)
    source_text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[PolicyDocument] = relationship(viewonly=True)
    measure: Mapped[Measure | None] = relationship(back_populates="targets")


class MeasureTopic(Base):
    """政策主题 of a measure: from keywords, from the shipped overrides, or set by a user.
    A user's removal is kept as ``excluded`` so a re-classification does not bring it back."""

    __tablename__ = "measure_topics"

    measure_id: Mapped[str] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), default="keyword")  # keyword|override|user
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)

    measure: Mapped[Measure] = relationship(back_populates="topics")
