"""One action's cells → an `Action`, recording each interpretation in the import report.

This is where the seed's quirks are settled: one-line rows ("A6 - No progress after 18
months - removed - RAG RED"), RAG cells with words around the rating, "NEW MEASURE" at the
start of an objective, several owners in one cell, and "By When/Update" columns that hold dates.
"""

from __future__ import annotations

from dataclasses import replace

from datracker.importing import cells as c
from datracker.importing.drafts import ActionDraft, PlanDraft, ReviewRef
from datracker.importing.owners import OwnerDirectory, OwnerName
from datracker.importing.scales import ImportScale, is_no_rating, rating_parts
from datracker.plan.models import Action, Measure, Status, Update, is_status


def _one_line(text: str) -> str:
    """Lines of a cell joined with spaces: Word wraps long objectives over several paragraphs."""
    return " ".join(text.split())


def _text(text: str) -> str:
    """Update text keeps its paragraphs (one per line) and loses only extra spaces."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


class ActionBuilder:
    def __init__(self, plan: PlanDraft, directory: OwnerDirectory, scale: ImportScale):
        self.plan = plan
        self.report = plan.report
        self.directory = directory
        self.scale = scale

    def build(self, draft: ActionDraft, owners: list[OwnerName]) -> Action:
        values = draft.values
        status: str | None = None
        notes: list[str] = []
        rag_text = values.get(c.RAG, "")
        if c.ID in values:  # words after the id: a one-line row
            line = c.parse_one_line(values[c.ID])
            status, notes = line.status, line.notes
            rag_text = line.rag_text or rag_text
            self._one_line_guess(draft, line)
        objective = _one_line(values.get(c.OBJECTIVE, ""))
        objective, is_new = c.strip_new_marker(objective)
        if is_new:
            status = status or "new"
            message = f"{draft.id}: 'NEW MEASURE' → status new"
            self.report.add(draft.cell(c.OBJECTIVE), "guess", message)
        status = self._status_column(draft) or self._due_says_done(draft) or status
        if not rag_text.strip() and draft.heading_status is not None:
            status, rag_text = self._from_heading(draft, status, rag_text)
        if status is None and draft.priority.new:
            status = "new"  # every action under a "NEW: Priority F" heading is new
        rag = self._rag(draft, rag_text, status)
        if values.get(c.QUALIFIER) and rag.rag:  # a Qualifier column, as our export writes
            rag = replace(rag, qualifier=_one_line(values[c.QUALIFIER]))
        if rag.status and not status:
            status = rag.status
        if rag.rag is None and rag.qualifier and rag.status is None:
            notes.append(f"RAG: {rag.qualifier}")
        notes += [v for k, v in values.items() if k.startswith(f"{c.NOTE}:")]
        if c.NOTE in values:
            notes.insert(0, _one_line(values[c.NOTE]))
        due, update_texts = self._due_and_updates(draft)
        return Action(
            id=draft.id,
            parent=draft.parent,
            objective=objective or None,
            action=_one_line(values.get(c.ACTION, "")) or None,
            measures=[Measure(description=m) for m in _lines(values.get(c.MEASURES, ""))],
            owners=self._owners(draft, owners),
            due=due,
            status=_plan_status(status or "active"),
            note="; ".join(notes) or None,
            updates=self._updates(draft, update_texts, rag),
        )

    def _one_line_guess(self, draft: ActionDraft, line: c.OneLine) -> None:
        said = [f"status {line.status}"] if line.status else []
        said += [f"RAG {line.rag_text}"] if line.rag_text else []
        said += [f"note '{n}'" for n in line.notes]
        written = draft.id_cell
        message = f"one-line row '{written}' read as: {', '.join(said) or 'nothing'}"
        self.report.add(draft.where, "guess", message)

    def _from_heading(
        self, draft: ActionDraft, status: str | None, rag_text: str
    ) -> tuple[str | None, str]:
        """A status stated only in the heading above the row ("Completed projects")."""
        heading = draft.heading_status
        assert heading is not None
        if heading.status and status is None:
            message = f"{draft.id}: status {heading.status} taken from the heading '{heading.text}'"
            self.report.add(draft.where, "guess", message)
            return heading.status, rag_text
        if heading.rating and not rag_text:
            message = (
                f"{draft.id}: rating '{heading.rating}' taken from the heading '{heading.text}'"
            )
            self.report.add(draft.where, "guess", message)
            return status, heading.rating
        return status, rag_text

    def _due_says_done(self, draft: ActionDraft) -> str | None:
        """A "Deadline" cell reading "Completed": the action is done, and has no due date."""
        text = draft.values.get(c.DUE, "").strip().lower().strip(".")
        if text in c.COMPLETION_WORDS:
            draft.values.pop(c.DUE)
            self.report.add(
                draft.cell(c.DUE), "guess", f"{draft.id}: due '{text}' read as status complete"
            )
            return "complete"
        return None

    def _status_column(self, draft: ActionDraft) -> str | None:
        text = draft.values.get(c.STATUS, "").strip()
        if not text:
            return None
        word = rating_parts(text)[0].lower().strip(" .")
        status = (
            c.STATUS_WORDS.get(word)
            or ("complete" if word in c.COMPLETION_WORDS else None)
            or ("removed" if word in c.REMOVAL_WORDS else None)
        )
        if status is None:
            message = f"{draft.id}: status '{text}' is not active, new, complete, removed or n/a"
            self.report.add(draft.cell(c.STATUS), "warning", message + "; read as active")
        return status

    def _rag(self, draft: ActionDraft, text: str, status: str | None) -> c.Rag:
        where = draft.cell(c.RAG)
        if is_no_rating(text):
            text = ""  # "NOT RATED": as good as an empty cell
        rag = self.scale.read(text)
        if not text.strip():
            if status in (None, "active"):  # a new action is not rated yet: no warning
                self.report.add(where, "warning", f"{draft.id}: no RAG")
        elif rag.rag is None and rag.status is None:
            message = f"{draft.id}: RAG '{text}' is not on the scale; kept in the action's note"
            self.report.add(where, "warning", message)
        elif rag.changed:
            said = rag.rag or f"status {rag.status}"
            said += f" (status {rag.status})" if rag.rag and rag.status else ""
            said += f" with qualifier '{rag.qualifier}'" if rag.qualifier else ""
            self.report.add(where, "guess", f"{draft.id}: RAG '{text}' read as {said}")
        return rag

    def _due_and_updates(self, draft: ActionDraft) -> tuple[str | None, dict[str, str]]:
        due_text = draft.values.get(c.DUE, "")
        updates: dict[str, str] = {}
        for key, text in draft.values.items():
            if key.startswith(f"{c.DUE_OR_UPDATE}:") and text:
                if c.looks_like_dates(text) and not due_text:
                    due_text = text
                    message = f"{draft.id}: the 'By when/Update' cell holds dates: read as due"
                    self.report.add(draft.where, "guess", message)
                else:
                    updates[key] = text
            elif key.startswith(f"{c.UPDATE}:") and text:
                updates[key] = text
        if not due_text:
            return None, updates
        due, rewritten = c.parse_due(due_text)
        if rewritten:
            shown = due_text.replace("\n", " / ")
            self.report.add(draft.cell(c.DUE), "guess", f"{draft.id}: due '{shown}' read as {due}")
        return due, updates

    def _owners(self, draft: ActionDraft, owners: list[OwnerName]) -> list[str]:
        ids: list[str] = []
        described: list[str] = []
        for owner in owners:
            owner_id, via_alias = self.directory.add(owner)
            if owner_id not in ids:
                ids.append(owner_id)
            extra = owner.organisation or owner.role
            if via_alias:
                described.append(f"{owner.name} (= {owner_id})")
            elif extra:
                kind = "organisation" if owner.organisation else "role"
                described.append(f"{owner.name} ({kind}: {extra})")
            else:
                described.append(owner.name)
        cell = draft.values.get(c.OWNERS, "")
        if (
            (len(owners) > 1 and ";" not in cell)  # "; " is our export's plain list
            or any(o.organisation or o.role or o.alias for o in owners)
            or any("(=" in d for d in described)
        ):
            shown = cell.replace("\n", " / ")
            message = f"{draft.id}: owners '{shown}' read as {len(owners)}: {'; '.join(described)}"
            self.report.add(draft.cell(c.OWNERS), "guess", message)
        return ids

    def _updates(self, draft: ActionDraft, texts: dict[str, str], rag: c.Rag) -> list[Update]:
        per_row = self._row_review(draft)
        by_review: dict[str, tuple[ReviewRef, list[str]]] = {}
        for key, text in texts.items():
            ref = per_row or draft.reviews.get(key) or self.plan.fallback_review(draft.where)
            by_review.setdefault(ref.id, (ref, []))[1].append(_text(text))
        rag_ref = per_row or (self._rag_review(draft, by_review) if rag.rag else None)
        if rag.rag and rag_ref is not None:
            by_review.setdefault(rag_ref.id, (rag_ref, []))
        date = draft.values.get(c.UPDATE_DATE) or None
        updates = []
        for ref, parts in sorted(by_review.values(), key=lambda item: item[0].date):
            rated = rag_ref is not None and ref.id == rag_ref.id
            updates.append(
                Update(
                    review=ref.id,
                    date=date if rated else None,
                    rag=rag.rag if rated else None,
                    qualifier=rag.qualifier if rated and rag.rag else None,
                    text="\n".join(parts) or None,
                )
            )
        return updates

    def _row_review(self, draft: ActionDraft) -> ReviewRef | None:
        """The review a row names in a Review or Review label column (CSV exports)."""
        review_id = draft.values.get(c.REVIEW, "").strip()
        label = " ".join(draft.values.get(c.REVIEW_LABEL, "").split())
        if review_id:
            return self.plan.review(label or review_id, draft.cell(c.REVIEW), review_id)
        if label:
            return self.plan.review(label, draft.cell(c.REVIEW_LABEL))
        return None

    def _rag_review(
        self, draft: ActionDraft, by_review: dict[str, tuple[ReviewRef, list[str]]]
    ) -> ReviewRef | None:
        """The RAG belongs to the rightmost update column's review (the latest one)."""
        if draft.reviews:
            return list(draft.reviews.values())[-1]
        if by_review:
            return list(by_review.values())[-1][0]
        return self.plan.fallback_review(draft.where)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _plan_status(word: str) -> Status:
    """The status found for an action: only ever one of the plan's (cells.STATUS_WORDS and
    the words the importer writes), checked here rather than assumed."""
    if not is_status(word):
        raise ValueError(f"the importer found status '{word}', which no plan has")
    return word
