//! Pure business rules of Mesa de Soporte. No I/O, no clock reads: callers pass `now`.
