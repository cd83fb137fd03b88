-- Ticket indexes found by the scale benchmark (`cargo xtask bench`: 100k tickets, 1M messages).

-- Company facts (repo/catalog.rs `FACTS`, read on every ticket creation and by the ticket
-- form's options): "open tickets of the company" counted only the not-finished tickets
-- instead of visiting every ticket the company ever had (60k rows → 2k index entries).
CREATE INDEX tickets_company_active ON tickets(company_id) WHERE status NOT IN ('resolved', 'closed');

-- Similar open tickets on a service, newest first (P12, `open_on_service`).
CREATE INDEX tickets_service_active ON tickets(service_id, number) WHERE status NOT IN ('resolved', 'closed');

-- Queue filtered by status and priority: the page in arrival order and its total
-- (the total is answered from the index alone).
CREATE INDEX tickets_status_priority_number ON tickets(status, priority, number);
