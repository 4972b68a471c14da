from tests.qt.conftest import no_blocking_message_boxes, project, window  # noqa: F401
