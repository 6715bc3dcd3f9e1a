"""Background work: one enqueue helper, a job record a person can watch, an RQ worker."""

from app.jobs.queue import enqueue, job, report_progress

__all__ = ["enqueue", "job", "report_progress"]


def init_app(app) -> None:
    from flask_babel import lazy_gettext

    from app.jobs import cli, models, views  # noqa: F401 - registers the model

    labels = {
        "queued": lazy_gettext("Waiting in the queue…"),
        "running": lazy_gettext("In progress…"),
        "retrying": lazy_gettext("Failed for now; it will be tried again."),
        "done": lazy_gettext("Done."),
        "failed": lazy_gettext("Failed."),
    }
    app.jinja_env.globals["job_status_label"] = lambda status: str(labels.get(status, status))
    app.jinja_env.globals["job_status_labels"] = lambda: {k: str(v) for k, v in labels.items()}
    app.register_blueprint(views.blueprint)
    app.cli.add_command(cli.worker_command)
