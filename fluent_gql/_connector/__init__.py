"""The connector's conveniences, one module per area, on top of our generated client.

Each area has a sync and an async class deriving from the generated ``Client`` or
``AsyncClient``; :class:`fluent_gql.FluentClient` combines them. I/O-free helpers
(filters, result shapes) are shared by each pair.
"""
