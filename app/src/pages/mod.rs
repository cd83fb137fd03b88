//! One file per route.
pub mod account;
pub mod admin;
pub mod admin_companies;
pub mod admin_prices;
pub mod admin_tools;
pub mod home;
pub mod hours;
pub mod kb;
pub mod kb_admin;
pub mod login;
pub mod my_tickets;
pub mod new_ticket;
pub mod not_found;
pub mod policy;
pub mod preferences;
pub mod queue;
pub mod ticket;
