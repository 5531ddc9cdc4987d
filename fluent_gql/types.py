"""The models generated from ``queries/``: operation results, fragments and inputs.

Results are pydantic models with snake_case attributes (``customer.first_name``);
inputs take the same names (``AttributeInput(name=..., type=..., value=...)``).
"""

from fluent_gql_generated.base_model import UNSET, UnsetType
from fluent_gql_generated.create_customer import (
    CreateCustomer,
    CreateCustomerCreateCustomer,
)
from fluent_gql_generated.create_product import (
    CreateProduct,
    CreateProductCreateStandardProduct,
)
from fluent_gql_generated.customer_by_email import (
    CustomerByEmail,
    CustomerByEmailCustomers,
    CustomerByEmailCustomersEdges,
    CustomerByEmailCustomersEdgesNode,
)
from fluent_gql_generated.fragments import (
    CustomerFields,
    CustomerFieldsAttributes,
    CustomerFieldsRetailer,
    StandardProductFields,
    StandardProductFieldsAttributes,
    StandardProductFieldsCatalogue,
    StandardProductFieldsPrices,
)
from fluent_gql_generated.input_types import (
    AttributeInput,
    DateRange,
    ProductCatalogueKey,
)
from fluent_gql_generated.list_customers import (
    ListCustomers,
    ListCustomersCustomers,
    ListCustomersCustomersEdges,
    ListCustomersCustomersEdgesNode,
    ListCustomersCustomersPageInfo,
)
from fluent_gql_generated.list_standard_products import (
    ListStandardProducts,
    ListStandardProductsStandardProducts,
    ListStandardProductsStandardProductsEdges,
    ListStandardProductsStandardProductsEdgesNode,
    ListStandardProductsStandardProductsPageInfo,
)
from fluent_gql_generated.me import (
    Me,
    MeMe,
    MeMeAttributes,
    MeMePrimaryLocation,
    MeMePrimaryRetailer,
    MeMeRoles,
    MeMeRolesContexts,
    MeMeRolesRole,
    MeMeRolesRolePermissions,
)

__all__ = [
    "UNSET",
    "AttributeInput",
    "CreateCustomer",
    "CreateCustomerCreateCustomer",
    "CreateProduct",
    "CreateProductCreateStandardProduct",
    "CustomerByEmail",
    "CustomerByEmailCustomers",
    "CustomerByEmailCustomersEdges",
    "CustomerByEmailCustomersEdgesNode",
    "CustomerFields",
    "CustomerFieldsAttributes",
    "CustomerFieldsRetailer",
    "DateRange",
    "ListCustomers",
    "ListCustomersCustomers",
    "ListCustomersCustomersEdges",
    "ListCustomersCustomersEdgesNode",
    "ListCustomersCustomersPageInfo",
    "ListStandardProducts",
    "ListStandardProductsStandardProducts",
    "ListStandardProductsStandardProductsEdges",
    "ListStandardProductsStandardProductsEdgesNode",
    "ListStandardProductsStandardProductsPageInfo",
    "Me",
    "MeMe",
    "MeMeAttributes",
    "MeMePrimaryLocation",
    "MeMePrimaryRetailer",
    "MeMeRoles",
    "MeMeRolesContexts",
    "MeMeRolesRole",
    "MeMeRolesRolePermissions",
    "ProductCatalogueKey",
    "StandardProductFields",
    "StandardProductFieldsAttributes",
    "StandardProductFieldsCatalogue",
    "StandardProductFieldsPrices",
    "UnsetType",
]
