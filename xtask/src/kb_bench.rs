//! The knowledge-base scale benchmark (issue 6): 10,000 generated Spanish articles on top of
//! the real content, loaded into a fresh local D1 (after the migrations, the real articles and
//! the demo seed), then measured over HTTP by `tests/bench/kb.mjs` (200 mixed searches:
//! accentless, plurals, typos, prefixes while typing, several words, no result) and by
//! `tests/bench/fct.mjs` (time to first contentful text of an article on a throttled phone,
//! with and without the Worker's server-side rendering; first-load bytes), followed by the
//! query plans of the search statements.
//!
//! Generated articles are built from the real ones: each has a title from per-category
//! (action, subject, context) tables, an introduction and a "data for your ticket" section
//! naming that subject (with an error code and a version, as real support articles do), and
//! two sections taken from real articles of its category. The rows carry the same rendered
//! HTML, plain text, stems and vocabulary the Worker stores when staff save an article
//! (`domain::kb`), so the Worker's search sees exactly what production would.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use domain::kb::{self as dkb, ArticleFile};

use super::{cmd, kb, prepare_db, root, run, start_wrangler, step, stop, Mode, Res};

/// Generated articles (the 58 real ones come on top).
pub const ARTICLES: usize = 10_000;
const PORT: u16 = 8796;
/// Statement size cap: D1 rejects statements over 100 KB.
pub const STATEMENT_MAX: usize = 90_000;
/// The real article measured by `tests/bench/fct.mjs` (category/slug).
const FCT_ARTICLE: &str = "/kb/sitios-web/sitio-web-lento";

/// Infinitives that start every generated title ("Configurar la firma de correo en Outlook").
const ACTIONS: &[&str] = &[
    "Configurar",
    "Revisar",
    "Recuperar",
    "Cambiar",
    "Activar",
    "Desactivar",
    "Actualizar",
    "Verificar",
    "Eliminar",
    "Corregir errores en",
    "Entender",
    "Migrar",
    "Restablecer",
    "Probar",
];

/// Per category: subjects (with their article) and contexts.
const TOPICS: &[(&str, &[&str], &[&str])] = &[
    (
        "correo",
        &[
            "la cuenta de correo",
            "el buzón compartido",
            "la firma de correo",
            "el reenvío automático",
            "la respuesta automática de vacaciones",
            "los filtros de spam",
            "la libreta de contactos",
            "el calendario compartido",
            "los alias de correo",
            "la cuota del buzón",
            "los archivos adjuntos grandes",
            "la lista de distribución",
            "la contraseña del correo",
            "los correos rebotados",
            "la sincronización IMAP",
            "el envío por SMTP",
        ],
        &[
            "en Outlook",
            "en Outlook para Mac",
            "en Thunderbird",
            "en el iPhone",
            "en Android",
            "en el webmail",
            "en Apple Mail",
            "en Gmail",
            "en Windows 11",
            "en una tablet",
            "en Outlook 2016",
            "en el celular",
        ],
    ),
    (
        "hosting",
        &[
            "el panel de control",
            "la cuenta FTP",
            "la base de datos MySQL",
            "la versión de PHP",
            "las tareas programadas (cron)",
            "el límite de memoria de PHP",
            "los registros de errores",
            "el espacio en disco",
            "los subdominios",
            "el acceso SSH",
            "el archivo .htaccess",
            "las cuentas de usuario del panel",
            "los permisos de archivos",
            "phpMyAdmin",
            "el consumo de CPU",
        ],
        &[
            "en cPanel",
            "en Plesk",
            "en el hosting compartido",
            "en un servidor VPS",
            "con FileZilla",
            "con WinSCP",
            "en el plan Básico",
            "en el plan Empresarial",
            "desde la terminal",
            "en Linux",
            "después de una migración",
            "con PHP 8",
        ],
    ),
    (
        "dominios",
        &[
            "los registros DNS",
            "el registro MX",
            "el registro CNAME",
            "el registro TXT",
            "los servidores de nombres",
            "la renovación del dominio",
            "la transferencia del dominio",
            "el código de autorización",
            "los datos WHOIS",
            "la redirección del dominio",
            "el dominio .com.mx",
            "el subdominio",
            "la propagación DNS",
            "el bloqueo de transferencia",
        ],
        &[
            "en el panel del registrador",
            "en Cloudflare",
            "en GoDaddy",
            "en Akky",
            "en el panel de control",
            "para el correo",
            "para el sitio web",
            "antes de que venza",
            "después de cambiar de proveedor",
            "en un dominio nuevo",
        ],
    ),
    (
        "ssl",
        &[
            "el certificado SSL",
            "el certificado comodín",
            "la redirección a HTTPS",
            "el contenido mixto",
            "la cadena de certificados",
            "la renovación automática del certificado",
            "el aviso de sitio no seguro",
            "el certificado de Let's Encrypt",
            "la clave privada",
            "la solicitud CSR",
            "el candado del navegador",
        ],
        &[
            "en WordPress",
            "en cPanel",
            "en el subdominio",
            "en la tienda en línea",
            "en Chrome",
            "en Firefox",
            "en Safari",
            "en el correo",
            "en un servidor VPS",
            "después de renovar",
            "en el dominio principal",
        ],
    ),
    (
        "respaldos",
        &[
            "el respaldo automático",
            "el respaldo manual",
            "la restauración de archivos",
            "el respaldo de la base de datos",
            "los correos borrados",
            "el respaldo completo del sitio",
            "la copia de seguridad semanal",
            "el archivo comprimido del respaldo",
            "la retención de respaldos",
            "la restauración de una carpeta",
            "el respaldo de los buzones",
        ],
        &[
            "desde el panel de control",
            "de una fecha anterior",
            "en la computadora",
            "en una memoria USB",
            "en la nube",
            "del servidor",
            "de WordPress",
            "de Softlik",
            "antes de una actualización",
            "por FTP",
            "en un disco externo",
        ],
    ),
    (
        "sitios-web",
        &[
            "el sitio web",
            "el formulario de contacto",
            "los plugins de WordPress",
            "el tema de WordPress",
            "la tienda WooCommerce",
            "las imágenes del sitio",
            "el error 500",
            "el error 404",
            "la página de inicio",
            "el mapa del sitio",
            "el usuario administrador",
            "la caché del sitio",
            "los enlaces rotos",
            "el sitio hackeado",
            "las actualizaciones de WordPress",
        ],
        &[
            "en WordPress",
            "en el celular",
            "en Chrome",
            "después de una actualización",
            "en la tienda en línea",
            "en el hosting compartido",
            "con muchos visitantes",
            "en Google",
            "desde el panel",
            "en Joomla",
        ],
    ),
    (
        "softlik",
        &[
            "la licencia de Softlik",
            "la actualización de Softlik",
            "la base de datos de Softlik",
            "la conexión al servidor de Softlik",
            "el módulo de facturación",
            "el módulo de nómina",
            "el módulo de inventarios",
            "los timbres CFDI",
            "los usuarios de Softlik",
            "los reportes mensuales",
            "el respaldo de Softlik",
            "la impresión de facturas",
            "el catálogo de clientes",
            "la contabilidad electrónica",
        ],
        &[
            "en Windows 10",
            "en Windows 11",
            "en red local",
            "en una computadora nueva",
            "en el servidor",
            "en la versión 2024",
            "en la versión 2025",
            "con varios usuarios",
            "después de actualizar",
            "en modo monousuario",
        ],
    ),
    (
        "politica",
        &[
            "la póliza de soporte",
            "el horario de atención",
            "los tiempos de respuesta",
            "el ticket de soporte",
            "la garantía de corrección",
            "el cierre automático de tickets",
            "la sesión remota",
            "los servicios de pago",
            "la factura del soporte",
            "las horas de la póliza",
            "la prioridad del ticket",
            "la escalación de un caso",
        ],
        &[
            "para clientes con póliza",
            "para clientes sin póliza",
            "en días festivos",
            "fuera de horario",
            "en casos urgentes",
            "para empresas",
            "por teléfono",
            "en el portal",
            "al final del mes",
            "en la primera respuesta",
        ],
    ),
];

/// Number of introduction sentence variants (see `generate`).
const INTROS: usize = 5;

/// Lines of the "Antes de empezar" list: two or three per article.
const PREREQUISITES: &[&str] = &[
    "Ten a la mano el usuario y la contraseña de tu cuenta.",
    "Revisa que tu equipo tenga la versión {version} o posterior.",
    "Si trabajas {context}, cierra las demás ventanas para no perder cambios.",
    "Haz un respaldo de lo que vas a modificar.",
    "Confirma que tu servicio está activo y al corriente en sus pagos.",
    "Anota el mensaje exacto y la hora en que ocurre el problema.",
    "Verifica que tienes conexión a internet estable.",
    "Pide a la persona administradora de tu empresa los permisos necesarios.",
    "Reserva unos minutos: algunos cambios tardan en aplicarse.",
];

/// Deterministic pseudo-random numbers (SplitMix64): the same articles on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// `## …` sections of the real articles, by category.
fn sections_by_category(real: &[ArticleFile]) -> BTreeMap<&str, Vec<String>> {
    let mut out: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in real {
        for part in a.body_md.split("\n## ").skip(1) {
            out.entry(a.category.as_str())
                .or_default()
                .push(format!("## {}", part.trim_end()));
        }
    }
    out
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `n` plausible articles (unique slugs, none equal to a real one), spread evenly over the
/// categories, built from the real articles' sections.
pub fn generate(real: &[ArticleFile], n: usize) -> Vec<ArticleFile> {
    let mut rng = Rng(0x6b62_2d62_656e_6368);
    let sections = sections_by_category(real);
    let mut taken: BTreeSet<String> = real.iter().map(|a| a.slug.clone()).collect();
    // Every (action, subject, context) combination of a category, in a random order.
    let mut combos: Vec<Vec<(usize, usize, usize)>> = TOPICS
        .iter()
        .map(|(_, subjects, contexts)| {
            let mut v = Vec::new();
            for a in 0..ACTIONS.len() {
                for s in 0..subjects.len() {
                    for c in 0..contexts.len() {
                        v.push((a, s, c));
                    }
                }
            }
            rng.shuffle(&mut v);
            v
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let k = i % TOPICS.len();
        let (category, subjects, contexts) = TOPICS[k];
        let (a, s, c) = combos[k]
            .pop()
            .unwrap_or_else(|| (rng.below(ACTIONS.len()), 0, 0));
        let (action, subject, context) = (ACTIONS[a], subjects[s], contexts[c]);
        let title = format!("{action} {subject} {context}");
        let mut slug = dkb::slugify(&title);
        if taken.contains(&slug) {
            slug = format!("{slug}-{i}");
        }
        taken.insert(slug.clone());
        let code = format!("0x{:08X}", rng.next() as u32);
        let version = format!("{}.{}.{}", 2 + rng.below(8), rng.below(20), rng.below(100));
        let verb = lower_first(action);
        let summary = format!(
            "Cómo {verb} {subject} {context}: requisitos, pasos, errores comunes y qué revisar antes de levantar un ticket."
        );
        let intro = match rng.below(INTROS) {
            0 => format!("Esta guía explica cómo {verb} {subject} {context}."),
            1 => format!("Aquí verás, paso a paso, cómo {verb} {subject} {context}."),
            2 => format!("Muchos clientes nos preguntan cómo {verb} {subject} {context}; estos son los pasos que recomendamos."),
            3 => format!("Si necesitas {verb} {subject} {context}, sigue este procedimiento de principio a fin."),
            _ => format!("Con estos pasos puedes {verb} {subject} {context} sin esperar a un agente."),
        };
        let mut body = format!("{intro}\n\n## Antes de empezar\n\n");
        let mut steps: Vec<usize> = (0..PREREQUISITES.len()).collect();
        rng.shuffle(&mut steps);
        for (pos, k) in steps.iter().take(2 + rng.below(2)).enumerate() {
            let line = PREREQUISITES[*k]
                .replace("{version}", &version)
                .replace("{context}", context);
            body += &format!("{}. {line}\n", pos + 1);
        }
        let pool = &sections[category];
        let first = rng.below(pool.len());
        let mut second = rng.below(pool.len());
        if pool.len() > 1 && second == first {
            second = (first + 1) % pool.len();
        }
        for j in [first, second] {
            body += "\n";
            body += &pool[j];
            body += "\n";
        }
        body += &format!(
            "\n## {}\n\n\
             Si el problema con {subject} sigue {context}, levanta un ticket e incluye el código que \
             aparece (por ejemplo `{code}`), la versión que usas ({version}) y desde cuándo ocurre.\n",
            ["Si no se resuelve", "Datos para tu ticket", "¿Sigue sin funcionar?"][rng.below(3)]
        );
        out.push(ArticleFile {
            slug,
            title,
            title_en: None,
            category: category.to_string(),
            summary,
            related: Vec::new(),
            body_md: body,
        });
    }
    out
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The load SQL: multi-row `INSERT INTO kb_articles` statements (the FTS triggers index them)
/// and the vocabulary as `json_each` inserts into `kb_words`, every statement under
/// [`STATEMENT_MAX`] bytes.
pub fn sql(articles: &[ArticleFile]) -> String {
    const HEAD: &str = "INSERT INTO kb_articles (slug, title, title_en, summary, category, body_md, \
        body_html, body_text, status, title_terms, keyword_terms, body_terms, origin, content_hash, \
        created_at, updated_at, published_at) VALUES\n";
    let mut out = format!(
        "-- Generated by `cargo xtask bench-kb`: {} knowledge-base articles.\n",
        articles.len()
    );
    let mut vocabulary: BTreeMap<String, String> = BTreeMap::new();
    let mut stmt = String::new();
    for (i, a) in articles.iter().enumerate() {
        let html = dkb::render_html(&a.body_md);
        let text = dkb::plain_text(&a.body_md);
        let ix = dkb::index_text(&a.title, a.title_en.as_deref(), &a.summary, &text);
        vocabulary.extend(ix.vocabulary);
        // Published over the last ~3 years, one every ~2.6 hours.
        let at = format!(
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{} minutes')",
            (articles.len() - i) * 157
        );
        let row = format!(
            "({}, {}, NULL, {}, {}, {}, {}, {}, 'published', {}, {}, {}, 'app', NULL, {at}, {at}, {at})",
            q(&a.slug),
            q(&a.title),
            q(&a.summary),
            q(&a.category),
            q(&a.body_md),
            q(&html),
            q(&text),
            q(&ix.title_terms),
            q(&ix.keyword_terms),
            q(&ix.body_terms),
        );
        if !stmt.is_empty() && HEAD.len() + stmt.len() + row.len() + 3 > STATEMENT_MAX {
            out += HEAD;
            out += &stmt;
            out += ";\n";
            stmt.clear();
        }
        if !stmt.is_empty() {
            stmt += ",\n";
        }
        stmt += &row;
    }
    if !stmt.is_empty() {
        out += HEAD;
        out += &stmt;
        out += ";\n";
    }
    let pairs: Vec<(String, String)> = vocabulary.into_iter().collect();
    let mut chunk: Vec<(String, String)> = Vec::new();
    let mut chunk_len = 0;
    for pair in pairs {
        let len = pair.0.len() + pair.1.len() + 8;
        if chunk_len + len > STATEMENT_MAX - 400 {
            out += &words_stmt(&chunk);
            chunk.clear();
            chunk_len = 0;
        }
        chunk_len += len;
        chunk.push(pair);
    }
    if !chunk.is_empty() {
        out += &words_stmt(&chunk);
    }
    out
}

/// Same statement as the content loader (`kb.rs`): `kb_words` rows from a JSON array.
fn words_stmt(pairs: &[(String, String)]) -> String {
    format!(
        "INSERT OR IGNORE INTO kb_words (word, stem, len) SELECT json_extract(j.value, '$[0]'), \
         json_extract(j.value, '$[1]'), length(json_extract(j.value, '$[0]')) FROM json_each({}) j;\n",
        q(&dkb::vocabulary_json(pairs))
    )
}

/// The search statements of `worker/src/repo/kb.rs` with literal arguments, for EXPLAIN.
fn plans() -> Vec<(&'static str, String)> {
    let bm25 = "bm25(kb_fts, 10.0, 4.0, 1.0)";
    let expr = "\"contrasen\" AND (\"corre\" OR \"correct\")";
    vec![
        (
            "round 1: stem_exists",
            "SELECT stem FROM kb_words WHERE stem = 'contrasen' LIMIT 1".into(),
        ),
        (
            "round 1: typo_candidates ('contrasela')",
            "SELECT word, stem FROM kb_words WHERE len BETWEEN 9 AND 11 \
             AND (substr(word, 1, 1) = 'c' OR substr(word, -2) = 'la') LIMIT 2000"
                .into(),
        ),
        (
            "round 1: prefix_stems ('conf')",
            "SELECT DISTINCT stem FROM (SELECT stem FROM kb_words WHERE word >= 'conf' \
             AND word < 'conf\u{10ffff}' ORDER BY len, word LIMIT 40)"
                .into(),
        ),
        (
            "round 2: hits (all words, ranked)",
            format!(
                "SELECT a.slug, a.title, a.category, a.summary, a.body_text FROM kb_fts \
                 JOIN kb_articles a ON a.id = kb_fts.rowid \
                 WHERE kb_fts MATCH '{expr}' AND (NULL IS NULL OR a.category = NULL) \
                 ORDER BY {bm25} LIMIT 8"
            ),
        ),
        (
            "round 2: count (any word)",
            format!(
                "SELECT count(*) AS n FROM kb_fts JOIN kb_articles a ON a.id = kb_fts.rowid \
                 WHERE kb_fts MATCH '{}' AND (NULL IS NULL OR a.category = NULL)",
                expr.replace(" AND ", " OR ")
            ),
        ),
    ]
}

/// `cargo xtask bench-kb`: fresh D1 → 10k articles → wrangler dev → searches, first
/// contentful text, first-load bytes → plans.
pub fn kb() -> Res {
    let state = root().join("target/bench-kb-state");
    step("knowledge-base benchmark: fresh local D1 (migrations, real articles, demo data)");
    prepare_db(&state, true)?;
    step(&format!(
        "knowledge-base benchmark: generating and loading {ARTICLES} articles"
    ));
    let (_, real) = kb::load(&root().join("content/kb"))?;
    let real: Vec<ArticleFile> = real.into_iter().map(|(a, _)| a).collect();
    let started = Instant::now();
    let articles = generate(&real, ARTICLES);
    let text = sql(&articles);
    println!(
        "  generated in {:.1?}: {} statements, {:.1} MB of SQL",
        started.elapsed(),
        text.lines().filter(|l| l.starts_with("INSERT ")).count(),
        text.len() as f64 / 1e6
    );
    let file = root().join("target/bench-kb.sql");
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    let started = Instant::now();
    run(cmd("wrangler")
        .args(["d1", "execute", "DB", "--local", "--persist-to"])
        .arg(&state)
        .arg("--file")
        .arg(&file)
        .env("CI", "true")
        .stdout(Stdio::null()))?;
    println!("  loaded in {:.0?}", started.elapsed());
    d1_json(
        &state,
        "SELECT (SELECT count(*) FROM kb_articles WHERE status = 'published') AS articles, \
         (SELECT count(*) FROM kb_words) AS words, \
         (SELECT sum(length(body_md)) FROM kb_articles) AS body_md_bytes",
    )
    .map(|j| println!("  database: {}", one_line(&j)))?;

    step(&format!(
        "knowledge-base benchmark: wrangler dev on port {PORT}"
    ));
    std::fs::create_dir_all(root().join("tests/out")).map_err(|e| e.to_string())?;
    let log = root().join("tests/out/wrangler-bench-kb.log");
    let mut child = start_wrangler(&state, PORT, Some(&log), Mode::Dev)?;
    let base = format!("http://127.0.0.1:{PORT}");
    let searched = run(cmd("node")
        .arg("tests/bench/kb.mjs")
        .env("BASE_URL", &base)
        .stdout(Stdio::inherit()));
    step("knowledge-base benchmark: first contentful text on a throttled phone");
    let painted = run(cmd("node")
        .arg("tests/bench/fct.mjs")
        .env("BASE_URL", &base)
        .env("BENCH_ARTICLE", FCT_ARTICLE)
        .stdout(Stdio::inherit()));
    // The plans are read from the same database once the server has let go of it.
    stop(&mut child);
    for (name, r) in [("kb.mjs", searched), ("fct.mjs", painted)] {
        if let Err(e) = r {
            println!("  {name} failed: {e}");
        }
    }
    step("knowledge-base benchmark: search query plans (EXPLAIN QUERY PLAN)");
    for (label, sql) in plans() {
        println!("\n  -- {label}");
        match d1_json(&state, &format!("EXPLAIN QUERY PLAN {sql}")) {
            Ok(json) => super::bench_seed::print_plan(&json),
            Err(e) => println!("  (no plan: {e})"),
        }
    }
    Ok(())
}

/// `wrangler d1 execute --json` output of one command on the benchmark database.
fn d1_json(state: &Path, command: &str) -> Res<String> {
    let out = cmd("wrangler")
        .args(["d1", "execute", "DB", "--local", "--json", "--persist-to"])
        .arg(state)
        .arg("--command")
        .arg(command)
        .env("CI", "true")
        .stderr(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("wrangler d1 execute failed: {command}"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// The rows of a `--json` answer, compactly.
fn one_line(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get(0)?.get("results").cloned())
        .map(|r| r.to_string())
        .unwrap_or_else(|| json.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Vec<ArticleFile> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/kb");
        kb::load(&dir)
            .unwrap()
            .1
            .into_iter()
            .map(|(a, _)| a)
            .collect()
    }

    #[test]
    fn ten_thousand_valid_articles_with_unique_slugs() {
        let real = real();
        let articles = generate(&real, ARTICLES);
        assert_eq!(articles.len(), ARTICLES);
        let slugs: BTreeSet<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs.len(), ARTICLES, "unique slugs");
        for a in &articles {
            assert!(dkb::is_valid_slug(&a.slug), "{}", a.slug);
            assert!(!real.iter().any(|r| r.slug == a.slug), "{}", a.slug);
            assert!(a.title.len() <= dkb::TITLE_MAX && a.summary.len() <= dkb::SUMMARY_MAX);
            assert!(a.body_md.len() <= dkb::BODY_MAX);
            assert!(TOPICS.iter().any(|(c, _, _)| *c == a.category));
        }
        // Every category gets its share; titles are unique, not just slugs.
        let titles: BTreeSet<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles.len(), ARTICLES);
        for (c, _, _) in TOPICS {
            let n = articles.iter().filter(|a| a.category == *c).count();
            assert_eq!(n, ARTICLES / TOPICS.len(), "{c}");
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let real = real();
        let a = generate(&real, 50);
        let b = generate(&real, 50);
        assert!(a.iter().zip(&b).all(|(x, y)| x.body_md == y.body_md));
    }

    #[test]
    fn statements_fit_d1_limits() {
        let real = real();
        let sql = sql(&generate(&real, 1_000));
        let stmts: Vec<&str> = sql.split(";\n").filter(|s| !s.trim().is_empty()).collect();
        assert!(stmts.len() > 10, "rows are spread over many statements");
        for s in &stmts {
            assert!(s.len() < 100_000, "statement over D1's 100 KB");
        }
        let rows = sql.matches("'published', ").count();
        assert_eq!(rows, 1_000);
        assert!(sql.contains("INSERT OR IGNORE INTO kb_words"));
    }
}
