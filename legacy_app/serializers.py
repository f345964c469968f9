"""Model → JSON dicts. Only public fields: tenant ids and delivery refs stay inside."""

from __future__ import annotations

from typing import Any

from legacy_app.models import Client, Invoice, User


def client_to_dict(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "email": client.email,
        "created_at": client.created_at.isoformat(),
    }


def invoice_to_dict(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "number": invoice.number,
        "client_id": invoice.client_id,
        "amount": f"{invoice.amount:.2f}",
        "currency": invoice.currency,
        "status": invoice.status,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "notes": invoice.notes,
        "created_at": invoice.created_at.isoformat(),
        "sent_at": invoice.sent_at.isoformat() if invoice.sent_at else None,
    }


def user_to_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "tenant": {"id": user.tenant.id, "slug": user.tenant.slug, "name": user.tenant.name},
    }
