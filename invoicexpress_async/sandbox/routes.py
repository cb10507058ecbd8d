"""The sandbox's routes: every endpoint it serves, in one table."""

from __future__ import annotations

from aiohttp import web

from . import admin, app, lifecycle
from .app import STATE_KEY, SandboxState


def make_app(state: SandboxState) -> web.Application:
    application = web.Application(middlewares=[app.authenticate, app.delay, app.rate_limit,
                                               app.inject_faults, app.answer_refusals])
    application[STATE_KEY] = state
    family = f"{{family:{lifecycle.FAMILY_PATTERN}}}"
    router = application.router
    router.add_get("/invoices.json", app.list_invoices)
    router.add_get("/estimates.json", app.list_estimates)
    router.add_get("/guides.json", app.list_guides)
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
    router.add_get("/items.json", admin.list_items)
    router.add_post("/items.json", admin.create_item)
    router.add_get("/items/{id}.json", admin.get_item)
    router.add_put("/items/{id}.json", admin.update_item)
    router.add_delete("/items/{id}.json", admin.delete_item)
    router.add_get("/taxes.json", admin.list_taxes)
    router.add_post("/taxes.json", admin.create_tax)
    router.add_get("/taxes/{id}.json", admin.get_tax)
    router.add_put("/taxes/{id}.json", admin.update_tax)
    router.add_delete("/taxes/{id}.json", admin.delete_tax)
    router.add_post("/sequences.json", admin.create_sequence)
    router.add_get("/sequences/{id}.json", admin.get_sequence)
    router.add_put("/sequences/{id}/set_current.json", admin.set_current_sequence)
    router.add_put("/sequences/{id}/register.json", admin.register_sequence)
    router.add_get("/api/export_saft.json", admin.export_saft)
    router.add_post("/api/accounts/create.json", admin.create_account)
    router.add_post("/api/accounts/create_already_user.json", admin.create_account_for_user)
    router.add_get("/api/accounts/{id}/get.json", admin.get_account)
    router.add_put("/api/accounts/{id}/update.json", admin.update_account)
    router.add_post("/api/v3/accounts/at_communication.json", admin.at_communication)
    treasury = "/api/v3/clients/{client}"
    router.add_get(f"{treasury}/balance.json", admin.balance)
    router.add_put(f"{treasury}/initial_balance.json", admin.set_initial_balance)
    router.add_get(f"{treasury}/regularization.json", admin.list_regularizations)
    router.add_post(f"{treasury}/regularization.json", admin.create_regularization)
    router.add_delete(f"{treasury}/regularization/{{id}}.json", admin.delete_regularization)
    router.add_post(f"{treasury}/treasury_movements.json", admin.create_movement)
    router.add_delete(f"{treasury}/treasury_movements/{{id}}.json", admin.delete_movement)
    router.add_get("/_sandbox/stats.json", app.sandbox_stats)
    router.add_get("/_sandbox/files/{name}", lifecycle.serve_file)
    return application
