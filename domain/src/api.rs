//! Shared JSON types of the HTTP API (owned by the worker/app authors).
