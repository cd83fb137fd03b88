//! CSV import of companies, people and services (issue 12): a small RFC 4180 reader and the
//! pure check of every row against the file itself and what already exists.
//!
//! The file has a header row; columns are matched by name (any order, case ignored):
//! `type, company, tax_id, only_own_tickets, name, email, role, phone, kind, status`.
//! Only `type` is required as a column; a row leaves the columns it does not use empty.
//! - `company` rows create a company: `company` (its name), `tax_id`, `only_own_tickets`.
//! - `person` rows invite a person: `email`, `name`, `role` (client by default), `phone`,
//!   and for clients `company` (created in the same file or already existing, by name).
//! - `service` rows create a service of `company`: `kind`, `name`, `status` (active by default).
use std::collections::{HashMap, HashSet};

use crate::api::admin::ImportRowError;
use crate::api::{LocalizedText, Role};
use crate::contract::{ServiceKind, ServiceStatus};
use crate::validation::FieldError;

/// At most this many bytes per file.
pub const MAX_BYTES: usize = 256 * 1024;
/// At most this many data rows per file (each person is three statements of one D1 batch).
pub const MAX_ROWS: usize = 300;
/// The columns a file may have.
pub const COLUMNS: [&str; 10] = [
    "type",
    "company",
    "tax_id",
    "only_own_tickets",
    "name",
    "email",
    "role",
    "phone",
    "kind",
    "status",
];

// --- RFC 4180 ------------------------------------------------------------------------

/// A record of the file and the (1-based) line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a file cannot be read as CSV at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub code: &'static str,
}

impl CsvError {
    pub fn message(&self) -> LocalizedText {
        match self.code {
            "unterminated_quote" => LocalizedText::new(
                format!("Línea {}: unas comillas se abren y nunca se cierran.", self.line),
                format!("Line {}: a quoted field is never closed.", self.line),
            ),
            _ => LocalizedText::new(
                format!(
                    "Línea {}: comillas dentro de un campo sin comillas; encierra el campo entre comillas y duplica las internas (\"\").",
                    self.line
                ),
                format!(
                    "Line {}: a quote inside an unquoted field; quote the field and double the inner quotes (\"\").",
                    self.line
                ),
            ),
        }
    }
}

/// Reads comma-separated records (RFC 4180): fields may be quoted, a quoted field may hold
/// commas, line breaks and doubled quotes; lines end in CRLF or LF; a leading BOM and
/// blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<Record>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let (mut fields, mut field, mut start) = (Vec::new(), String::new(), 1);
    // `quoted`: the current field began with a quote and has been closed.
    let (mut in_quotes, mut quoted) = (false, false);
    // A line with nothing on it is skipped; a line holding `""` is a record of one field.
    let mut push_record = |fields: &mut Vec<String>, field: &mut String, start, quoted| {
        fields.push(std::mem::take(field));
        let f = std::mem::take(fields);
        if quoted || !(f.len() == 1 && f[0].is_empty()) {
            records.push(Record {
                line: start,
                fields: f,
            });
        }
    };
    let mut quote_line = 1;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    in_quotes = false;
                    quoted = true;
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quote_line = line;
            }
            '"' => {
                return Err(CsvError {
                    line,
                    code: "stray_quote",
                })
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                push_record(&mut fields, &mut field, start, quoted);
                quoted = false;
                line += 1;
                start = line;
            }
            _ if quoted => {
                return Err(CsvError {
                    line,
                    code: "stray_quote",
                })
            }
            c => field.push(c),
        }
    }
    if in_quotes {
        return Err(CsvError {
            line: quote_line,
            code: "unterminated_quote",
        });
    }
    if !field.is_empty() || !fields.is_empty() || quoted {
        push_record(&mut fields, &mut field, start, quoted);
    }
    Ok(records)
}

/// Writes records as RFC 4180 (quoting only where needed); `parse_csv` reads them back.
pub fn write_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|f| {
                if f.contains([',', '"', '\n', '\r']) || (row.len() == 1 && f.is_empty()) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

// --- the file's rows -------------------------------------------------------------------

/// One data row: its line and the value of each known column ("" when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    values: HashMap<&'static str, String>,
}

impl Row {
    pub fn get(&self, column: &str) -> &str {
        self.values.get(column).map(|v| v.trim()).unwrap_or("")
    }
}

/// A file that could be read: its data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<Row>,
}

fn file_error(es: String, en: String) -> FieldError {
    FieldError::new("file", "invalid_file", es, en)
}

/// Reads the file: size, CSV syntax, header (known columns, `type` present), row count.
pub fn parse(text: &str) -> Result<Parsed, FieldError> {
    if text.len() > MAX_BYTES {
        return Err(file_error(
            format!("El archivo pasa de {} KB; divídelo.", MAX_BYTES / 1024),
            format!("The file is over {} KB; split it.", MAX_BYTES / 1024),
        ));
    }
    let records = parse_csv(text).map_err(|e| {
        let m = e.message();
        file_error(m.es, m.en)
    })?;
    let Some((header, data)) = records.split_first() else {
        return Err(file_error(
            "El archivo está vacío; la primera línea debe ser el encabezado (type,company,…)."
                .into(),
            "The file is empty; its first line must be the header (type,company,…).".into(),
        ));
    };
    let mut columns: Vec<&'static str> = Vec::new();
    for h in &header.fields {
        let h = h.trim().to_lowercase();
        let Some(known) = COLUMNS.iter().find(|c| **c == h) else {
            return Err(file_error(
                format!(
                    "Columna desconocida «{h}». Columnas: {}.",
                    COLUMNS.join(", ")
                ),
                format!("Unknown column “{h}”. Columns: {}.", COLUMNS.join(", ")),
            ));
        };
        if columns.contains(known) {
            return Err(file_error(
                format!("La columna «{h}» aparece dos veces."),
                format!("The column “{h}” appears twice."),
            ));
        }
        columns.push(known);
    }
    if !columns.contains(&"type") {
        return Err(file_error(
            "Falta la columna «type» (company, person o service) en el encabezado.".into(),
            "The header lacks the “type” column (company, person or service).".into(),
        ));
    }
    if data.is_empty() {
        return Err(file_error(
            "El archivo no tiene filas después del encabezado.".into(),
            "The file has no rows after the header.".into(),
        ));
    }
    if data.len() > MAX_ROWS {
        return Err(file_error(
            format!(
                "El archivo tiene {} filas; el máximo es {MAX_ROWS}.",
                data.len()
            ),
            format!(
                "The file has {} rows; the maximum is {MAX_ROWS}.",
                data.len()
            ),
        ));
    }
    let rows = data
        .iter()
        .map(|r| Row {
            line: r.line,
            values: columns
                .iter()
                .zip(r.fields.iter().cloned())
                .map(|(c, v)| (*c, v))
                .collect(),
        })
        .collect();
    Ok(Parsed { rows })
}

/// How company names are compared: case and inner spaces ignored.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Parsed {
    /// Every company name the file mentions (to look up what already exists).
    pub fn company_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.get("company").to_string())
            .filter(|c| !c.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    }
    /// Every e-mail the file mentions, normalized as stored.
    pub fn emails(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| crate::validation::email(r.get("email")).ok())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

// --- the check -------------------------------------------------------------------------

/// What the database already holds, for the names and e-mails the file mentions.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    /// (id, name) of companies.
    pub companies: Vec<(String, String)>,
    pub emails: Vec<String>,
    /// (company id, kind, name) of the services of those companies.
    pub services: Vec<(String, String, String)>,
}

/// The company a person or service belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompanyTarget {
    Existing {
        id: String,
        name: String,
    },
    /// Created by a `company` row of the same file (by its name key).
    New {
        key: String,
        name: String,
    },
}

impl CompanyTarget {
    pub fn name(&self) -> &str {
        match self {
            CompanyTarget::Existing { name, .. } | CompanyTarget::New { name, .. } => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Company {
        key: String,
        name: String,
        tax_id: Option<String>,
        only_own_tickets: bool,
    },
    Person {
        email: String,
        name: String,
        role: Role,
        phone: Option<String>,
        company: Option<CompanyTarget>,
    },
    Service {
        company: CompanyTarget,
        kind: ServiceKind,
        name: String,
        status: ServiceStatus,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub line: usize,
    pub item: Item,
}

/// Every row checked: what would be created, and every error found (all rows are checked,
/// so one dry run lists every problem). The import applies only when `errors` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub items: Vec<Planned>,
    pub errors: Vec<ImportRowError>,
}

impl Plan {
    pub fn count(&self, which: &str) -> usize {
        self.items
            .iter()
            .filter(|p| {
                matches!(
                    (&p.item, which),
                    (Item::Company { .. }, "company")
                        | (Item::Person { .. }, "person")
                        | (Item::Service { .. }, "service")
                )
            })
            .count()
    }
}

fn row_error(line: usize, column: &str, code: &str, es: String, en: String) -> ImportRowError {
    ImportRowError {
        line,
        column: column.into(),
        code: code.into(),
        message: LocalizedText::new(es, en),
    }
}

fn from_field(line: usize, column: &str, e: FieldError) -> ImportRowError {
    row_error(line, column, e.code, e.message_es, e.message_en)
}

fn flag(v: &str) -> Option<bool> {
    match v.to_lowercase().as_str() {
        "" | "0" | "no" | "false" => Some(false),
        "1" | "si" | "sí" | "yes" | "true" => Some(true),
        _ => None,
    }
}

#[derive(Default)]
struct Seen {
    companies: HashMap<String, usize>,
    emails: HashMap<String, usize>,
    services: HashMap<(String, &'static str, String), usize>,
}

struct Check<'a> {
    existing_companies: HashMap<String, (String, String)>,
    existing_emails: HashSet<String>,
    existing_services: HashSet<(String, String, String)>,
    file_companies: HashMap<String, String>,
    errors: &'a mut Vec<ImportRowError>,
}

impl Check<'_> {
    fn company(&mut self, r: &Row, required: bool) -> Option<CompanyTarget> {
        let name = r.get("company");
        if name.is_empty() {
            if required {
                self.errors.push(row_error(
                    r.line,
                    "company",
                    "required",
                    "Indica la empresa (creada en este archivo o ya existente).".into(),
                    "Give the company (created in this file or already existing).".into(),
                ));
            }
            return None;
        }
        let key = name_key(name);
        // An existing company wins (a file row creating it again is itself an error), so
        // the rows of an import sent twice are duplicates of what the first one created.
        if let Some((id, n)) = self.existing_companies.get(&key) {
            return Some(CompanyTarget::Existing {
                id: id.clone(),
                name: n.clone(),
            });
        }
        if let Some(n) = self.file_companies.get(&key) {
            return Some(CompanyTarget::New {
                key,
                name: n.clone(),
            });
        }
        self.errors.push(row_error(
            r.line,
            "company",
            "unknown_company",
            format!("No existe la empresa «{name}» ni se crea en este archivo."),
            format!("There is no company “{name}”, nor does this file create it."),
        ));
        None
    }
}

fn duplicate_in_file(line: usize, column: &str, value: &str, first: usize) -> ImportRowError {
    row_error(
        line,
        column,
        "duplicate",
        format!("«{value}» ya aparece en la línea {first} de este archivo."),
        format!("“{value}” already appears on line {first} of this file."),
    )
}

/// Checks every row of the file against the file itself and what already exists.
pub fn plan(parsed: &Parsed, existing: &Existing) -> Plan {
    let mut out = Plan::default();
    let mut seen = Seen::default();
    // Companies of the file first, so rows may name a company created further down.
    let file_companies: HashMap<String, String> = parsed
        .rows
        .iter()
        .filter(|r| kind_of(r.get("type")) == Some("company"))
        .filter(|r| !r.get("company").is_empty())
        .map(|r| (name_key(r.get("company")), r.get("company").to_string()))
        .collect();
    let mut check = Check {
        existing_companies: existing
            .companies
            .iter()
            .map(|(id, n)| (name_key(n), (id.clone(), n.clone())))
            .collect(),
        existing_emails: existing.emails.iter().cloned().collect(),
        existing_services: existing
            .services
            .iter()
            .map(|(c, k, n)| (c.clone(), k.clone(), name_key(n)))
            .collect(),
        file_companies,
        errors: &mut out.errors,
    };
    for r in &parsed.rows {
        let before = check.errors.len();
        let item = match kind_of(r.get("type")) {
            Some("company") => company_row(r, &mut check, &mut seen),
            Some("person") => person_row(r, &mut check, &mut seen),
            Some("service") => service_row(r, &mut check, &mut seen),
            _ => {
                check.errors.push(row_error(
                    r.line,
                    "type",
                    "unknown_type",
                    format!(
                        "Tipo de fila desconocido «{}»: usa company, person o service.",
                        r.get("type")
                    ),
                    format!(
                        "Unknown row type “{}”: use company, person or service.",
                        r.get("type")
                    ),
                ));
                None
            }
        };
        if let (Some(item), true) = (item, check.errors.len() == before) {
            out.items.push(Planned { line: r.line, item });
        }
    }
    out
}

fn kind_of(t: &str) -> Option<&'static str> {
    match t.trim().to_lowercase().as_str() {
        "company" | "empresa" => Some("company"),
        "person" | "persona" => Some("person"),
        "service" | "servicio" => Some("service"),
        _ => None,
    }
}

fn company_row(r: &Row, c: &mut Check, seen: &mut Seen) -> Option<Item> {
    let name = crate::accounts::name(r.get("company"))
        .map_err(|e| c.errors.push(from_field(r.line, "company", e)))
        .ok();
    let tax_id = crate::accounts::tax_id(r.get("tax_id"))
        .map_err(|e| c.errors.push(from_field(r.line, "tax_id", e)))
        .ok();
    let own = flag(r.get("only_own_tickets"));
    if own.is_none() {
        c.errors.push(row_error(
            r.line,
            "only_own_tickets",
            "invalid_flag",
            "Usa sí o no (1 o 0).".into(),
            "Use yes or no (1 or 0).".into(),
        ));
    }
    let name = name?;
    let key = name_key(&name);
    if let Some(first) = seen.companies.get(&key) {
        c.errors
            .push(duplicate_in_file(r.line, "company", &name, *first));
    } else if c.existing_companies.contains_key(&key) {
        c.errors.push(row_error(
            r.line,
            "company",
            "duplicate",
            format!("Ya existe una empresa llamada «{name}»."),
            format!("A company named “{name}” already exists."),
        ));
    }
    seen.companies.entry(key.clone()).or_insert(r.line);
    Some(Item::Company {
        key,
        name,
        tax_id: tax_id?,
        only_own_tickets: own?,
    })
}

fn person_row(r: &Row, c: &mut Check, seen: &mut Seen) -> Option<Item> {
    let email = crate::validation::email(r.get("email"))
        .map_err(|e| c.errors.push(from_field(r.line, "email", e)))
        .ok();
    let name = crate::accounts::name(r.get("name"))
        .map_err(|e| c.errors.push(from_field(r.line, "name", e)))
        .ok();
    let phone = crate::accounts::phone(r.get("phone"))
        .map_err(|e| c.errors.push(from_field(r.line, "phone", e)))
        .ok();
    let role = match r.get("role").to_lowercase().as_str() {
        "" | "client" | "cliente" => Some(Role::Client),
        "agent" | "agente" => Some(Role::Agent),
        "admin" => Some(Role::Admin),
        other => {
            c.errors.push(row_error(
                r.line,
                "role",
                "invalid_role",
                format!("Rol desconocido «{other}»: usa client, agent o admin."),
                format!("Unknown role “{other}”: use client, agent or admin."),
            ));
            None
        }
    };
    let company = match role {
        Some(Role::Client) => c.company(r, true),
        Some(_) if !r.get("company").is_empty() => {
            c.errors.push(row_error(
                r.line,
                "company",
                "staff_company",
                "El personal (agent, admin) no pertenece a una empresa cliente; deja «company» vacío.".into(),
                "Staff (agent, admin) belong to no client company; leave “company” empty.".into(),
            ));
            None
        }
        _ => None,
    };
    let email = email?;
    if let Some(first) = seen.emails.get(&email) {
        c.errors
            .push(duplicate_in_file(r.line, "email", &email, *first));
    } else if c.existing_emails.contains(&email) {
        c.errors.push(row_error(
            r.line,
            "email",
            "duplicate",
            format!("Ya existe una cuenta con el correo {email}."),
            format!("An account with the e-mail {email} already exists."),
        ));
    }
    seen.emails.entry(email.clone()).or_insert(r.line);
    let role = role?;
    if role == Role::Client && company.is_none() {
        return None;
    }
    Some(Item::Person {
        email,
        name: name?,
        role,
        phone: phone?,
        company,
    })
}

fn service_row(r: &Row, c: &mut Check, seen: &mut Seen) -> Option<Item> {
    let kind = r
        .get("kind")
        .to_lowercase()
        .parse::<ServiceKind>()
        .map_err(|_| {
            c.errors.push(row_error(
                r.line,
                "kind",
                "invalid_kind",
                format!(
                    "Tipo de servicio desconocido «{}»: usa {}.",
                    r.get("kind"),
                    ServiceKind::ALL.map(|k| k.as_str()).join(", ")
                ),
                format!(
                    "Unknown service kind “{}”: use {}.",
                    r.get("kind"),
                    ServiceKind::ALL.map(|k| k.as_str()).join(", ")
                ),
            ))
        })
        .ok();
    let name = crate::accounts::name(r.get("name"))
        .map_err(|e| c.errors.push(from_field(r.line, "name", e)))
        .ok();
    let status_in = r.get("status").to_lowercase();
    let status = if status_in.is_empty() {
        "active"
    } else {
        &status_in
    }
    .parse::<ServiceStatus>()
    .map_err(|e| c.errors.push(from_field(r.line, "status", e)))
    .ok();
    let company = c.company(r, true);
    let (company, kind, name) = (company?, kind?, name?);
    let company_key = match &company {
        CompanyTarget::Existing { id, .. } => id.clone(),
        CompanyTarget::New { key, .. } => format!("new:{key}"),
    };
    let key = (company_key.clone(), kind.as_str(), name_key(&name));
    if let Some(first) = seen.services.get(&key) {
        c.errors
            .push(duplicate_in_file(r.line, "name", &name, *first));
    } else if c.existing_services.contains(&(
        company_key,
        kind.as_str().to_string(),
        name_key(&name),
    )) {
        c.errors.push(row_error(
            r.line,
            "name",
            "duplicate",
            format!("{} ya tiene ese servicio «{name}».", company.name()),
            format!("{} already has the service “{name}”.", company.name()),
        ));
    }
    seen.services.entry(key).or_insert(r.line);
    Some(Item::Service {
        company,
        kind,
        name,
        status: status?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        parse_csv(text)
            .unwrap()
            .into_iter()
            .map(|r| r.fields)
            .collect()
    }

    #[test]
    fn reads_quotes_commas_newlines_and_crlf() {
        let f = fields("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\n,\n");
        assert_eq!(
            f,
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x, \"y\"".into(), "two\nlines".into()],
                vec!["".into(), "".into()],
            ]
        );
        let recs = parse_csv("h\n\"1\n2\"\nz").unwrap();
        assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(
            fields("\u{feff}a,b"),
            vec![vec!["a".to_string(), "b".into()]]
        );
    }

    #[test]
    fn refuses_broken_quoting_with_its_line() {
        assert_eq!(
            parse_csv("a\n\"open,b\nc").unwrap_err(),
            CsvError {
                line: 2,
                code: "unterminated_quote"
            }
        );
        assert_eq!(parse_csv("a\nx\"y\n").unwrap_err().code, "stray_quote");
        assert_eq!(parse_csv("\"a\"b\n").unwrap_err().code, "stray_quote");
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back(rows in proptest::collection::vec(
            proptest::collection::vec("[a-zA-Zñ, \"\r\n]{0,6}", 1..5), 0..6)) {
            prop_assert_eq!(fields(&write_csv(&rows)), rows);
        }

        #[test]
        fn never_panics(text in "[a,\"\r\n ]{0,40}") {
            let _ = parse_csv(&text);
        }
    }

    const HEADER: &str = "type,company,tax_id,only_own_tickets,name,email,role,phone,kind,status\n";

    fn plan_of(body: &str, existing: &Existing) -> Plan {
        plan(&parse(&format!("{HEADER}{body}")).unwrap(), existing)
    }

    fn codes(p: &Plan) -> Vec<(usize, String, String)> {
        p.errors
            .iter()
            .map(|e| (e.line, e.column.clone(), e.code.clone()))
            .collect()
    }

    fn existing() -> Existing {
        Existing {
            companies: vec![("c1".into(), "Alfa Comercial".into())],
            emails: vec!["ana@alfa.mx".into()],
            services: vec![("c1".into(), "hosting".into(), "Hosting principal".into())],
        }
    }

    #[test]
    fn a_clean_file_plans_everything_in_order() {
        let p = plan_of(
            "person,Nueva SA,,,Nora,NORA@nueva.mx,,,,\n\
             company,Nueva SA,NUE010203AB1,sí,,,,,,\n\
             service,nueva sa,,,Correo,,,,email,\n\
             service,Alfa Comercial,,,Dominio,,,,domain,ended\n\
             person,,,,Pepe,pepe@soporte.mx,agent,+52 55 1234 5678,,\n",
            &existing(),
        );
        assert_eq!(codes(&p), vec![]);
        assert_eq!(
            (p.count("company"), p.count("person"), p.count("service")),
            (1, 2, 2)
        );
        match &p.items[0].item {
            Item::Person {
                email,
                company,
                role,
                ..
            } => {
                assert_eq!(email, "nora@nueva.mx");
                assert_eq!(*role, Role::Client);
                assert_eq!(
                    company,
                    &Some(CompanyTarget::New {
                        key: "nueva sa".into(),
                        name: "Nueva SA".into()
                    })
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&p.items[3].item, Item::Service { company: CompanyTarget::Existing { id, .. }, status: ServiceStatus::Ended, .. } if id == "c1")
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let p = plan_of(
            "company,Alfa  comercial,,,,,,,,\n\
             company,Delta,,,,,,,,\n\
             company,DELTA,BAD,maybe,,,,,,\n\
             person,Delta,,,Ana,ana@ALFA.mx,,,,\n\
             person,Delta,,,Eva,eva@delta,,,,\n\
             person,Delta,,,Eva,eva@delta.mx,,,,\n\
             person,Delta,,,Eva B,eva@delta.mx,jefe,,,\n\
             person,Omega,,,Olga,olga@omega.mx,,,,\n\
             person,Delta,,,Staff,staff@delta.mx,agent,,,\n\
             service,Delta,,,Web,,,,ftp,\n\
             service,Delta,,,Web,,,,web_site,\n\
             service,Delta,,,web,,,,web_site,gone\n\
             service,Alfa Comercial,,,hosting principal,,,,hosting,\n\
             thing,,,,,,,,,\n",
            &existing(),
        );
        assert_eq!(
            codes(&p),
            vec![
                (2, "company".into(), "duplicate".into()),
                (4, "tax_id".into(), "invalid_tax_id".into()),
                (4, "only_own_tickets".into(), "invalid_flag".into()),
                (4, "company".into(), "duplicate".into()),
                (5, "email".into(), "duplicate".into()),
                (6, "email".into(), "invalid_email".into()),
                (8, "role".into(), "invalid_role".into()),
                (8, "email".into(), "duplicate".into()),
                (9, "company".into(), "unknown_company".into()),
                (10, "company".into(), "staff_company".into()),
                (11, "kind".into(), "invalid_kind".into()),
                (13, "status".into(), "invalid_status".into()),
                (13, "name".into(), "duplicate".into()),
                (14, "name".into(), "duplicate".into()),
                (15, "type".into(), "unknown_type".into()),
            ]
        );
        // Only the rows without errors are planned (the import is refused anyway).
        assert_eq!(
            p.items.iter().map(|i| i.line).collect::<Vec<_>>(),
            [3, 7, 12]
        );
    }

    #[test]
    fn a_service_the_company_already_has_is_a_duplicate() {
        let p = plan_of(
            "service,alfa comercial,,,Hosting  Principal,,,,hosting,\n\
             service,Alfa Comercial,,,Hosting principal,,,,email,\n",
            &existing(),
        );
        assert_eq!(codes(&p), vec![(2, "name".into(), "duplicate".into())]);
        assert_eq!(p.items.len(), 1);
    }

    #[test]
    fn file_level_problems_are_one_error_on_file() {
        for bad in [
            "",
            "company,name\nx,y\n",
            "type,nombre\ncompany,x\n",
            "type,type\ncompany,company\n",
            "type,company\n",
            "type,company\n\"open\n",
        ] {
            assert_eq!(parse(bad).unwrap_err().field, "file", "{bad:?}");
        }
        let many = format!("type\n{}", "company\n".repeat(MAX_ROWS + 1));
        assert_eq!(parse(&many).unwrap_err().code, "invalid_file");
        assert!(parse(&"x".repeat(MAX_BYTES + 1)).is_err());
        // Columns in any order and case; missing columns read as empty.
        let p = parse("Email,TYPE,name,company\nzed@z.mx,person,Zed,Alfa Comercial\n").unwrap();
        let plan = plan(&p, &existing());
        assert_eq!(codes(&plan), vec![]);
        assert_eq!(p.company_names(), vec!["Alfa Comercial".to_string()]);
        assert_eq!(p.emails(), vec!["zed@z.mx".to_string()]);
    }
}
