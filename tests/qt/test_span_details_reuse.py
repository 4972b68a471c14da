"""The side panel's form is kept from one annotation to the next of the same kind (building
it on every selection cost milliseconds on long articles): what it shows must still be the
selected annotation's own values, never the last one's, and a note being typed goes to the
annotation it was typed for."""

from annotator.core.meta_edits import SPANS
from tests.qt.test_span_details import click_on, window  # noqa: F401 (the fixture)


def other_person(window):
    """A Person span with no attribute, id or note: labelled here, as a person would."""
    text = window.session.article.text
    for word in ("tutorial", "sentence", "Welcome", "example"):
        start = text.find(word)
        if start >= 0 and not any(s.start <= start < s.end for s in window.session.spans):
            break
    else:
        raise AssertionError("no free word to label")
    window.view.set_text_selection(start, start + len(word))
    window.controller.apply_label("Person")
    span = window.view.selected_span()
    assert span is not None and span.label == "Person" and span.start == start
    assert not window.store.annotation_meta_of(SPANS, span.id)
    return span


def test_the_next_person_shows_its_own_empty_values_in_the_same_form(qtbot, window):  # noqa: F811
    details = window.span_details
    plain = other_person(window)
    click_on(window, "former Mexican president")
    form = details.form
    assert form.fields["Mention"].currentText() == "Nominal"
    assert form.fields["Individual"].isChecked() and form.kb.text() == "Wikipedia:64488"
    window.view.select_span(plain.id)
    assert details.form is form  # kept, not built again
    assert details.target.row_id == plain.id
    assert form.fields["Mention"].currentIndex() == 0  # unset
    assert not form.fields["Individual"].isChecked()
    assert form.kb.text() == "" and not form.link.text()
    assert form.note.toPlainText() == ""
    click_on(window, "former Mexican president")  # and back: its values again
    assert details.form.fields["Mention"].currentText() == "Nominal"
    assert details.form.kb.text() == "Wikipedia:64488"


def test_a_note_being_typed_stays_with_its_annotation_when_the_selection_moves(
    qtbot, window  # noqa: F811
):
    details = window.span_details
    plain = other_person(window)
    window.view.select_span(plain.id)
    details.form.note.setFocus()
    details.form.note.setPlainText("check the spelling")
    click_on(window, "former Mexican president")  # focus leaves the note: saved to `plain`
    assert details.target.row_id != plain.id
    assert details.form.note.toPlainText() == ""
    meta = window.store.annotation_meta_of(SPANS, plain.id)
    assert "check the spelling" in str(meta)


def test_each_label_keeps_its_form_through_new_spans_and_relabels(qtbot, window):  # noqa: F811
    details = window.span_details
    click_on(window, "former Mexican president")
    person_form = details.form
    # Text selected (the panel hides), then labelled: the new span shows in the same form.
    plain = other_person(window)
    assert details.isVisible() and details.form is person_form
    assert details.target.row_id == plain.id
    assert person_form.fields["Mention"].currentIndex() == 0  # its own: unset
    window.controller.apply_label("Organization")  # relabelled: Organization's own form
    assert window.view.selected_span().label == "Organization"
    organization_form = details.form
    assert organization_form is not person_form and organization_form.isVisible()
    assert not person_form.isVisible()
    window.controller.apply_label("Person")  # and back: the Person form kept from before
    assert details.form is person_form and person_form.isVisible()
    assert not organization_form.isVisible()
    assert details.target.row_id == plain.id
    assert not person_form.fields["Individual"].isChecked() and person_form.kb.text() == ""
    click_on(window, "former Mexican president")  # another Person: its values, same form
    assert details.form is person_form
    assert person_form.fields["Mention"].currentText() == "Nominal"
