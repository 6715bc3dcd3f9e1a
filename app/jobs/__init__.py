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
    summary_labels = {
        "new": lazy_gettext("new organisations"),
        "link": lazy_gettext("added from other cities"),
        "unchanged": lazy_gettext("already in the register"),
        "error": lazy_gettext("rows not imported"),
        "organisations": lazy_gettext("organisations"),
        "rows": lazy_gettext("records"),
        "files": lazy_gettext("files"),
    }
    app.jinja_env.globals["job_summary_label"] = lambda key: str(summary_labels.get(key, key))
    app.jinja_env.globals["job_status_labels"] = lambda: {k: str(v) for k, v in labels.items()}
    app.register_blueprint(views.blueprint)
    app.cli.add_command(cli.worker_command)
    app.cli.add_command(cli.jobs_cli)
