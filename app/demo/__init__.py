from flask import Flask


def init_app(app: Flask) -> None:
    from app.demo.cli import demo_cli

    app.cli.add_command(demo_cli)
