"""The five connector actions through the typed client, then an order: created,
read back by ref, and cancelled through its workflow with an event.

Run it against any Fluent account (or the emulator, see ``make demo``)::

    export FLUENT_BASE_URL=https://ACCOUNT.sandbox.api.fluentretail.com
    export FLUENT_USERNAME=... FLUENT_PASSWORD=...
    export FLUENT_CLIENT_ID=... FLUENT_CLIENT_SECRET=...
    export FLUENT_CATALOGUE_REF=...   # an existing product catalogue
    export FLUENT_CANCEL_EVENT=...    # your order workflow's cancel event (CancelOrder)
    python examples/quickstart.py
"""

from __future__ import annotations

import os
import sys
import uuid

from fluent_gql import FluentClient, FluentConfig, FluentError
from fluent_gql.types import AttributeInput


def main() -> int:
    """Run the five actions and print what Fluent answered."""
    config = FluentConfig.from_env()
    catalogue_ref = os.environ.get("FLUENT_CATALOGUE_REF", "PC:MASTER:1")
    suffix = uuid.uuid4().hex[:8]  # new records on every run
    print(f"Connecting to {config.base_url} as {config.username}")

    with FluentClient(config) as client:
        # 1. Get Current User
        me = client.me().me
        assert me is not None
        retailer = me.primary_retailer.ref if me.primary_retailer else "-"
        roles = [r.role.name for r in me.roles or [] if r]
        print(
            f"1. Current user: {me.username} (id {me.id}), "
            f"retailer {retailer}, roles {roles}"
        )

        # 2. Create Customer: username = email, retailer from the login, time zone
        #    UTC, no promotions (the defaults).
        email = f"ada.{suffix}@example.com"
        created = client.create_customer(
            email=email,
            first_name="Ada",
            last_name="Lovelace",
            phone="+44 20 7946 0000",
            country="United Kingdom",
            attributes=[
                AttributeInput(name="loyaltyTier", type_="STRING", value="Gold")
            ],
        ).create_customer
        assert created is not None
        print(
            f"2. Created customer {created.id}: "
            f"{created.first_name} {created.last_name} "
            f"<{created.primary_email}>, time zone {created.timezone}, "
            f"promotions {created.promotion_opt_in}"
        )

        # 3. Get Customer by Email
        found = client.customer_by_email(email=email)
        print(f"3. Customer by e-mail {email}: {found.id if found else 'not found'}")

        # 4. Create Product (a standard product with an RRP price)
        product = client.create_product(
            catalogue_ref=catalogue_ref,
            ref=f"SKU-{suffix}",
            name="Earl Grey Tea, 100 bags",
            gtin="9300633603140",
            summary="Black tea with bergamot",
            price_currency="AUD",
            price_value=7.5,
        ).create_standard_product
        assert product is not None
        price = product.prices[0] if product.prices else None
        print(
            f"4. Created product {product.ref} ({product.type_}, {product.status}) in "
            f"{product.catalogue.ref}: {price.currency if price else ''} "
            f"{price.value if price else ''}"
        )

        # 5. Generic GraphQL Request: any query, with variables
        data = client.graphql(
            """
            query productByRef($ref: String!, $catalogue: String!) {
              standardProduct(ref: $ref, catalogue: {ref: $catalogue}) {
                id ref name gtin workflowRef
              }
            }
            """,
            variables={"ref": product.ref, "catalogue": catalogue_ref},
            operation_name="productByRef",
        )
        print(f"5. Generic request returned: {data}")

        # 6. Manage orders: a home-delivery order for the new customer, created
        #    exactly once (its ref is Fluent's idempotency key), read back whole.
        order = client.create_order(
            ref=f"HD-{suffix}",
            type="HD",
            customer_id=created.id,
            items=[
                {
                    "ref": "L1",
                    "product_ref": product.ref,
                    "product_catalogue_ref": catalogue_ref,
                    "quantity": 2,
                    "price": 7.5,
                    "currency": "AUD",
                }
            ],
            fulfilment_choice={
                "delivery_type": "STANDARD",
                "delivery_address": {
                    "ref": f"ADDR-{suffix}",
                    "name": "Ada Lovelace",
                    "street": "1 George St",
                    "city": "Sydney",
                    "postcode": "2000",
                    "country": "AU",
                },
            },
        ).create_order
        assert order is not None
        print(f"6. Created order {order.ref} (id {order.id}): {order.status}")
        same = client.order_by_ref(ref=order.ref or "")
        assert same is not None
        edges = (same.items.edges if same.items else None) or []
        lines = [(e.node.ref, e.node.quantity) for e in edges if e and e.node]
        address = same.fulfilment_choice and same.fulfilment_choice.delivery_address
        print(
            f"7. Order by ref {same.ref}: {same.type_} to "
            f"{address.city if address else '-'}, lines {lines}"
        )

        # 8. Cancel it: a sync event that the order's workflow runs.
        event = os.environ.get("FLUENT_CANCEL_EVENT", "CancelOrder")
        result = client.cancel_order(
            ref=order.ref or "", reason="Demo", event_name=event
        )
        after = client.order_by_ref(ref=order.ref or "")
        print(
            f"8. Sent {event} (event {result.event_id}): {result.event_status}; "
            f"the order is now {after.status if after else 'gone'}"
        )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FluentError as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
