"""Review › Agreement…: measure in a background job, show in AgreementDialog."""

from __future__ import annotations

from annotator.core.agreement import spacy_tokens
from annotator.core.agreement.run import project_agreement
from annotator.core.errors import AnnotatorError
from annotator.formats.parallel import jobs_for
from annotator.formats.parallel_agreement import parallel_measure
from annotator.qt.controllers.jobs import Job
from annotator.qt.dialogs.agreement import AgreementDialog
from annotator.qt.workbench import Workbench
from annotator.store.project import ProjectStore


class Cancelled(AnnotatorError):
    pass


def open_agreement(window: Workbench) -> AgreementDialog:
    """Open the panel at once (it says it is measuring) and fill it when the job ends."""
    path = window.store.path
    language = window.store.schema.language
    dialog = AgreementDialog(window)
    dialog.setModal(False)

    def work(progress):
        # A connection of the job's own (workers never share the GUI's), read-only.
        store = ProjectStore(path, read_only=True)
        try:  # closed here, on the thread that used it, whatever fails
            total = store.annotated_article_count()

            def step(n: int) -> None:
                if not progress(n, total):
                    raise Cancelled("Agreement not measured: cancelled.")

            # On every core for a large project (formats/parallel_agreement.py): the same
            # report.
            jobs = jobs_for(None, total)
            measure = parallel_measure(store, language, None, jobs, step) if jobs > 1 else None
            return project_agreement(
                store, str(path), spacy_tokens(language), progress=step, measure=measure
            )
        finally:
            store.close()

    job = Job(window, "Measuring agreement…", work, path)
    job.done.connect(dialog.show_report)
    job.failed.connect(dialog.show_failure)
    window.keep_job(job)
    dialog.job = job
    dialog.show()
    job.start()
    return dialog
