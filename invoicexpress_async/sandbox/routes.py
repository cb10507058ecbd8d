"""The sandbox's routes: every endpoint it serves, in one table."""

from __future__ import annotations

from aiohttp import web

from . import app, lifecycle
from .app import STATE_KEY, SandboxState


def make_app(state: SandboxState) -> web.Application:
    application = web.Application(middlewares=[app.authenticate, app.delay, app.rate_limit,
                                               app.inject_faults, app.answer_refusals])
    application[STATE_KEY] = state
    family = f"{{family:{lifecycle.FAMILY_PATTERN}}}"
    router = application.router
    router.add_get("/invoices.json", app.list_invoices)
    router.add_get("/clients.json", app.list_clients)
    router.add_post("/clients.json", app.create_client)
    router.add_get("/clients/find-by-code.json", app.find_client_by_code)
    router.add_get("/clients/find-by-name.json", app.find_client_by_name)
    router.add_get("/clients/{id}.json", app.get_client)
    router.add_put("/clients/{id}.json", lifecycle.update_client)
    router.add_post("/clients/{id}/invoices.json", app.client_invoices)
    router.add_get("/sequences.json", app.list_sequences)
    router.add_post(f"/{family}.json", lifecycle.create_document)
    router.add_get(f"/{family}/{{id}}.json", lifecycle.get_document)
    router.add_put(f"/{family}/{{id}}.json", lifecycle.update_document)
    router.add_put(f"/{family}/{{id}}/change-state.json", lifecycle.change_state)
    router.add_put(f"/{family}/{{id}}/email-document.json", lifecycle.email_document)
    router.add_get("/api/pdf/{id}.json", lifecycle.pdf)
    router.add_get("/api/qr_codes/{id}.json", lifecycle.qr_code)
    router.add_get("/document/{id}/related_documents.json", lifecycle.related_documents)
    router.add_post("/documents/{id}/partial_payments.json", lifecycle.add_payment)
    router.add_get("/_sandbox/stats.json", app.sandbox_stats)
    router.add_get("/_sandbox/files/{name}", lifecycle.serve_file)
    return application
