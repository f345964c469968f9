from notes_flask_legacy import create_app

app = create_app()
