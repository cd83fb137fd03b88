//! The SPA build (issue 14): compile `app/` to WASM, split it into lazily loaded chunks, bind,
//! optimize, put every file in one content-hashed folder and write `index.html`.
//!
//! ```text
//! cargo build --release -p app --features split      (RUSTFLAGS: erase_components, --emit-relocs)
//! wasm-split-cli app.wasm → app.wasm (main) + split_*.wasm / chunk_*.wasm + __wasm_split.js
//!   (patched to merge shared chunks, `split_merge.rs`: run twice, the first run is the plan's input)
//! wasm-bindgen --target web --keep-lld-exports --no-demangle app.wasm → app.js + app_bg.wasm
//! wasm-opt -Oz on every .wasm; esbuild --minify --bundle app.js (the loader goes into it)
//! dist/pkg/<hash>/  (all of the above: they import each other by relative path)
//! ```
//! Trunk cannot split (the split must come before wasm-bindgen, trunk#1022), so `index.html`
//! is a template read here: its `data-trunk` CSS links become hashed stylesheets and its
//! `rel="rust"` link becomes the boot script. `--unsplit` (or `MDS_SPA_UNSPLIT=1`) builds one
//! module through the same steps, for debugging.
//!
//! The boot script preloads, for the path it is opened at, the chunks of that route's group
//! (`ROUTE_GROUPS`), so a cold deep link downloads them in parallel with the main module
//! instead of after it. `dist/split-manifest.json` lists the same, for the Worker's
//! server-rendered KB pages (`worker/src/ssr.rs`), which put them in `<link rel="preload">`.
use std::collections::BTreeMap;
use std::path::Path;

use domain::api::Area;

use crate::{cmd, root, run, step, Res};

/// `cargo install wasm_split_cli_support --version … --features build-binary --locked`.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";

/// Path prefix → split group of `app/src/routes.rs` (the first match wins; `/` exactly).
pub const ROUTE_GROUPS: &[(&str, &str)] = &[
    ("/kb", "kb"),
    ("/mis-tickets", "client"),
    ("/mi-poliza", "account_pages"),
    ("/nuevo-ticket", "new_ticket"),
    ("/tickets", "ticket"),
    ("/preferencias", "account_pages"),
    ("/cuenta", "account_pages"),
    ("/chats", "staff"),
    ("/chat", "account_pages"),
    ("/cola", "staff"),
    ("/articulos", "staff"),
    ("/admin", "admin"),
    ("/entrar", "public"),
    ("/politica", "info"),
    ("/horario", "info"),
    ("/activar", "account_links"),
    ("/olvide", "account_links"),
    ("/restablecer", "account_links"),
    ("/", "public"),
];

/// The office calendar's requests (`components::tickets::use_calendar`), for [`ROUTE_DATA`].
const CALENDAR: [&str; 3] = [
    "/api/calendar/status",
    "/api/calendar/holidays?year={year}",
    "/api/calendar/holidays?year={next}",
];

/// Path → the API answers its page asks for first, which the boot script fetches as soon as
/// the session is known to be signed in (`/api/notifications`, the bell's, on every path):
/// `api::get_json` takes them instead of asking once the app is up. A path ending in `/`
/// matches one more segment, which replaces `{id}`; `{year}` and `{next}` are this UTC year
/// and the next. Must follow the pages' own requests: the E2E (`split.test.mjs`) checks
/// that each is taken and none asked twice.
pub const ROUTE_DATA: &[(&str, &[&str])] = &[
    (
        "/mis-tickets",
        &[
            "/api/tickets?status=active&per_page=100",
            CALENDAR[0],
            CALENDAR[1],
            CALENDAR[2],
        ],
    ),
    (
        "/tickets/",
        &["/api/tickets/{id}", CALENDAR[0], CALENDAR[1], CALENDAR[2]],
    ),
    (
        "/nuevo-ticket",
        &[
            "/api/services",
            "/api/tickets/options",
            CALENDAR[0],
            CALENDAR[1],
            CALENDAR[2],
        ],
    ),
    (
        "/mi-poliza",
        &["/api/contract", "/api/contract/ledger", "/api/invoices"],
    ),
    (
        "/cola",
        &[
            "/api/companies",
            "/api/tickets?per_page=50&page=1&status=active",
            CALENDAR[0],
            CALENDAR[1],
            CALENDAR[2],
        ],
    ),
    ("/admin", &["/api/companies", "/api/admin/flags"]),
    ("/admin/empresas", &["/api/admin/companies?q=&page=1"]),
];

/// Signed-in pages whose frame the Worker paints into a deep link's document
/// (`worker/src/frame.rs`, from `dist/frames.json` written here) when the session's role may
/// open the page: the header bar and the page's `<h1>` and lead in the reader's language,
/// over the app (`#boot-frame`), until the page's `Page` renders the same heading and lead in
/// its place (`components::page`). Path (also in wrangler.toml `run_worker_first`, checked by
/// a test), area (as the route's `Guarded`: `domain::api::Area`, one rule for both), the
/// `<section>`'s classes and the locale keys of the title and the lead: must follow the pages'
/// `<Page>` — the E2E (`split.test.mjs`) compares the frame's texts and box with the page's.
#[rustfmt::skip]
pub const ROUTE_FRAMES: &[(&str, Area, &str, &str, &str)] = &[
    ("/mis-tickets", Area::Client, "my-tickets-page wide", "my_tickets.title", "my_tickets.lead"),
    ("/nuevo-ticket", Area::Client, "new-ticket-page wide", "new_ticket.title", "new_ticket.lead"),
    ("/mi-poliza", Area::Client, "poliza-page wide", "poliza.title", "poliza.lead"),
    ("/cola", Area::Staff, "queue-page wide", "queue.title", "queue.lead"),
    ("/chats", Area::Staff, "chat-queue-page", "live.queue_title", "live.queue_lead"),
    ("/articulos", Area::Staff, "page-wide kb-admin", "kb_admin.title", "kb_admin.lead"),
    ("/admin", Area::Admin, "admin-page wide", "admin.title", "admin.lead"),
    ("/admin/empresas", Area::Admin, "admin-page wide", "adm.companies_title", "adm.companies_lead"),
    ("/admin/personal", Area::Admin, "admin-page wide", "adm.staff_title", "adm.staff_lead"),
    ("/admin/tabulador", Area::Admin, "admin-page wide", "adm.prices_title", "adm.prices_lead"),
    ("/admin/facturas", Area::Admin, "admin-page wide", "inv.title", "inv.lead"),
    ("/preferencias", Area::SignedIn, "preferences-page", "prefs.title", "prefs.lead"),
    ("/cuenta", Area::SignedIn, "account-page", "account.title", "account.lead"),
];

/// A ticket's page (`/tickets/{id}`) is framed too, for whoever may see the ticket (the Worker
/// reads its number and subject): the `<section>`'s classes and the locale keys of the back
/// link for a client and for staff, as `pages::ticket` renders them.
pub const TICKET_FRAME: (&str, &str, &str) =
    ("wide ticket-page", "ticket.back_mine", "ticket.back_queue");

/// `{"pages": {path: [area, classes, {"es": [title, lead], "en": …}, split group]},
/// "names": {"es": …}, "ticket": [classes, {"es": [back to mine, back to the queue], "en": …},
/// split group]}` (the group's chunks are preloaded with the framed document)
/// (`area` as `domain::api::Area` serializes: `client`, `staff`, `admin`, `signed_in`)
/// from [`ROUTE_FRAMES`] and the app's locale files (`names`: the app's name per language).
fn frame_texts() -> Res<serde_json::Value> {
    let mut locales = BTreeMap::new();
    for lang in ["es", "en"] {
        let file = root().join(format!("app/locales/{lang}.json"));
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{lang}.json: {e}"))?;
        locales.insert(lang, json);
    }
    let text = |lang: &str, key: &str| -> Res<String> {
        key.split('.')
            .try_fold(&locales[lang], |v, k| v.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| format!("{lang}.json: no text at {key}"))
    };
    // `{"es": [text of a, text of b], "en": […]}`
    let pair = |a: &str, b: &str| -> Res<serde_json::Value> {
        let mut by_lang = serde_json::Map::new();
        for lang in ["es", "en"] {
            by_lang.insert(
                lang.into(),
                serde_json::json!([text(lang, a)?, text(lang, b)?]),
            );
        }
        Ok(by_lang.into())
    };
    let group =
        |path: &str| group_of(path).ok_or_else(|| format!("{path}: in no ROUTE_GROUPS group"));
    let mut frames = serde_json::Map::new();
    for (path, area, class, title, lead) in ROUTE_FRAMES {
        frames.insert(
            path.to_string(),
            serde_json::json!([area, class, pair(title, lead)?, group(path)?]),
        );
    }
    let names = serde_json::json!({ "es": text("es", "app.name")?, "en": text("en", "app.name")? });
    let (class, mine, queue) = TICKET_FRAME;
    let (back, group) = (pair(mine, queue)?, group("/tickets/")?);
    Ok(serde_json::json!({ "pages": frames, "names": names, "ticket": [class, back, group] }))
}

/// Same flags for both variants, so switching rebuilds only the `app` crate.
const RUSTFLAGS: &str = "--cfg erase_components -Clink-args=--emit-relocs";
/// With [`small_std`]: panics abort at once (a trap, no message: the app has no panic UI
/// anyway) and carry no source locations.
const SMALL_STD_FLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";

/// Whether the SPA is built against a standard library rebuilt for size (`-Zbuild-std`,
/// enabled on the stable toolchain with `RUSTC_BOOTSTRAP=1`, so it is the same pinned
/// compiler, not a nightly). Needs the toolchain's `rust-src`, added here if missing; without
/// it (offline, no rustup) or with `MDS_SPA_SMALL_STD=0` the build uses the prebuilt one.
fn small_std() -> bool {
    if std::env::var("MDS_SPA_SMALL_STD").is_ok_and(|v| v == "0") {
        return false;
    }
    let sysroot = crate::output(cmd("rustc").args(["--print", "sysroot"])).unwrap_or_default();
    let src = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library/std");
    if src.is_dir() {
        return true;
    }
    step("setup: rustup component add rust-src (the SPA's size-optimized std)");
    let added = cmd("rustup")
        .args(["component", "add", "rust-src"])
        .status()
        .is_ok_and(|s| s.success());
    if !added || !src.is_dir() {
        println!("  rust-src is not available: the SPA uses the prebuilt std (about 17 KB more)");
        return false;
    }
    true
}

/// The WASM features rustc 1.95 emits for wasm32-unknown-unknown (wasm-bindgen drops the
/// target-features section, and the chunks never had one).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn split_requested(args: &[String]) -> bool {
    let env_off = std::env::var("MDS_SPA_UNSPLIT").is_ok_and(|v| !v.is_empty() && v != "0");
    !(env_off || args.iter().any(|a| a == "--unsplit"))
}

pub fn build(split: bool) -> Res {
    let root = root();
    let kind = if split { "split" } else { "unsplit" };
    step(&format!("build: SPA (cargo, release, {kind})"));
    let target_dir = root.join(crate::SPA_TARGET_DIR);
    let mut c = cmd("cargo");
    c.args([
        "build",
        "--release",
        "-p",
        "app",
        "--bin",
        "app",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .env("CARGO_TARGET_DIR", &target_dir);
    if small_std() {
        // The pinned compiler's own standard library, rebuilt so that a panic is one trap
        // (no formatting machinery) and carries no file/line strings: main −17 KB brotli.
        c.env("RUSTC_BOOTSTRAP", "1")
            .arg("-Zbuild-std=std,panic_abort")
            .env("RUSTFLAGS", format!("{RUSTFLAGS} {SMALL_STD_FLAGS}"));
    } else {
        c.env("RUSTFLAGS", RUSTFLAGS);
    }
    if split {
        c.args(["--features", "split"]);
    }
    run(&mut c)?;
    let raw = target_dir.join("wasm32-unknown-unknown/release/app.wasm");

    let stage = target_dir.join("stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(|e| e.to_string())?;
    }
    std::fs::create_dir_all(&stage).map_err(|e| e.to_string())?;
    if split {
        // A first split tells which groups share which code; the second merges its shared
        // chunks (`split_merge`): fewer files per route.
        let splitter = crate::split_merge::splitter()?;
        let splitter = splitter.to_str().ok_or("non-UTF-8 path")?;
        step("build: SPA (wasm-split-cli)");
        let probe = target_dir.join("split-probe");
        if probe.exists() {
            std::fs::remove_dir_all(&probe).map_err(|e| e.to_string())?;
        }
        run(cmd(splitter)
            .arg(&raw)
            .arg(&probe)
            .args(["--out-name", "app"])
            .env_remove("WASM_SPLIT_MERGE"))?;
        let js =
            std::fs::read_to_string(probe.join("__wasm_split.js")).map_err(|e| e.to_string())?;
        let routes = split_groups(&js)?
            .into_keys()
            .filter(|g| ROUTE_GROUPS.iter().any(|(_, r)| r == g))
            .collect();
        let plan = crate::split_merge::plan(&routes, &crate::split_merge::probe(&probe)?);
        println!("chunk merges: {plan}");
        run(cmd(splitter)
            .arg(&raw)
            .arg(&stage)
            .args(["--out-name", "app"])
            .env("WASM_SPLIT_MERGE", &plan))?;
    } else {
        // `--emit-relocs` (kept so that both variants share one build of the dependencies)
        // leaves ~2.8 MB of linker sections that nothing downstream removes.
        let wasm = std::fs::read(&raw).map_err(|e| e.to_string())?;
        std::fs::write(stage.join("app.wasm"), strip_link_sections(&wasm)?)
            .map_err(|e| e.to_string())?;
    }
    step("build: SPA (wasm-bindgen, wasm-opt)");
    let mut bg = cmd("wasm-bindgen");
    bg.args(["--target", "web", "--no-typescript", "--out-name", "app"])
        .arg("--out-dir")
        .arg(&stage);
    if split {
        bg.args(["--keep-lld-exports", "--no-demangle"]);
    }
    run(bg.arg(stage.join("app.wasm")))?;
    std::fs::remove_file(stage.join("app.wasm")).map_err(|e| e.to_string())?;
    let mut files: Vec<String> = list(&stage)?;
    for f in files.iter().filter(|f| f.ends_with(".wasm")) {
        let p = stage.join(f);
        run(cmd("wasm-opt")
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(&p)
            .arg("-o")
            .arg(&p))?;
    }
    // Read before minifying: the loader names and their chunks (`split_groups`).
    let groups = if split {
        let js =
            std::fs::read_to_string(stage.join("__wasm_split.js")).map_err(|e| e.to_string())?;
        split_groups(&js)?
    } else {
        BTreeMap::new()
    };
    // wasm-bindgen's glue and the split loader, minified (exports keep their names): every
    // route downloads them (−2.3 KB brotli, and less to parse on a phone). Split, the loader
    // is bundled into the glue that imports it: one file fewer for every route (the
    // loader's chunk URLs are relative to `import.meta.url`, the same folder).
    let app_js = stage.join("app.js");
    run(cmd("esbuild")
        .arg(&app_js)
        .args(["--minify", "--format=esm", "--allow-overwrite"])
        // wasm-bindgen names the loader once per split group in its imports object.
        .arg("--log-override:duplicate-object-key=silent")
        .arg("--log-level=warning")
        .args(split.then_some("--bundle"))
        .arg(format!("--outfile={}", app_js.display())))?;
    if split {
        std::fs::remove_file(stage.join("__wasm_split.js")).map_err(|e| e.to_string())?;
    }
    files = list(&stage)?;
    if files.iter().filter(|f| f.ends_with(".js")).count() != 1 {
        return Err(format!(
            "SPA: one JS file expected in the package, found {files:?}"
        ));
    }

    // One folder named by the hash of everything in it: the files import each other by
    // relative path, so they are renamed together and cached forever (`_headers`).
    let mut h = 0xcbf29ce484222325u64;
    for f in &files {
        let bytes = std::fs::read(stage.join(f)).map_err(|e| e.to_string())?;
        h ^= crate::simple_hash(f.as_bytes()) ^ crate::simple_hash(&bytes);
        h = h.wrapping_mul(0x100000001b3);
    }
    let pkg = format!("/pkg/{h:016x}");
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| e.to_string())?;
    }
    let out = dist.join(pkg.trim_start_matches('/'));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    for f in &files {
        std::fs::copy(stage.join(f), out.join(f)).map_err(|e| e.to_string())?;
    }

    let chunk_files: usize = files.iter().filter(|f| f.ends_with(".wasm")).count();
    println!("SPA: {chunk_files} WASM file(s) in {pkg}/");
    for (g, fs) in &groups {
        println!("  group {g:<8} → {}", fs.join(", "));
    }

    let boot = boot_script(&pkg, &groups);
    std::fs::write(dist.join("frames.json"), frame_texts()?.to_string())
        .map_err(|e| e.to_string())?;
    let boot_name = format!("boot-{:016x}.js", crate::simple_hash(boot.as_bytes()));
    std::fs::write(dist.join(&boot_name), &boot).map_err(|e| e.to_string())?;
    let template =
        std::fs::read_to_string(root.join("index.html")).map_err(|e| format!("index.html: {e}"))?;
    let html = index_html(&template, &dist, &pkg, &boot_name)?;
    std::fs::write(dist.join("index.html"), html).map_err(|e| e.to_string())?;
    std::fs::write(dist.join("split-manifest.json"), manifest(&pkg, &groups))
        .map_err(|e| e.to_string())?;
    crate::headers::write_headers(&dist)
}

/// The module without its `linking` and `reloc.*` custom sections.
fn strip_link_sections(wasm: &[u8]) -> Res<Vec<u8>> {
    fn leb(b: &[u8], i: &mut usize) -> Res<usize> {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let c = *b.get(*i).ok_or("wasm: truncated")?;
            *i += 1;
            n |= ((c & 0x7f) as usize) << shift;
            shift += 7;
            if c & 0x80 == 0 {
                return Ok(n);
            }
        }
    }
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut i = 8;
    while i < wasm.len() {
        let start = i;
        let id = wasm[i];
        i += 1;
        let len = leb(wasm, &mut i)?;
        let body = i;
        let end = body + len;
        if end > wasm.len() {
            return Err("wasm: section past the end".into());
        }
        let drop = id == 0 && {
            let mut j = body;
            let n = leb(wasm, &mut j)?;
            let name = &wasm[j..(j + n).min(end)];
            name == b"linking" || name.starts_with(b"reloc.")
        };
        if !drop {
            out.extend_from_slice(&wasm[start..end]);
        }
        i = end;
    }
    Ok(out)
}

/// Port of `cargo xtask bench-spa`'s `wrangler dev`.
const BENCH_PORT: u16 = 8797;

/// `cargo xtask bench-spa`: every kind of route's first load on a throttled phone
/// (`tests/bench/routes.mjs`), with the SPA built unsplit (before) and split (after), plus the
/// split build's main module, chunk count and all chunks together. Leaves the split build.
pub fn bench() -> Res {
    use crate::{prepare_db, start_wrangler, stop, Mode};
    let state = root().join("target/bench-spa-state");
    prepare_db(&state, true)?;
    let mut runs = Vec::new();
    let mut lh_rows = Vec::new();
    for split in [false, true] {
        build(split)?;
        let kind = if split { "split" } else { "unsplit" };
        step(&format!("SPA routes on a throttled phone ({kind} build)"));
        std::fs::create_dir_all(root().join("tests/out")).map_err(|e| e.to_string())?;
        let log = root().join(format!("tests/out/wrangler-bench-spa-{kind}.log"));
        let mut child = start_wrangler(&state, BENCH_PORT, Some(&log), Mode::Dev)?;
        let out = cmd("node")
            .arg("tests/bench/routes.mjs")
            .env("BASE_URL", format!("http://127.0.0.1:{BENCH_PORT}"))
            .stderr(std::process::Stdio::inherit())
            .output();
        // Lighthouse on the split build only (the "before" scores are in issue 14).
        let lh = if split && out.is_ok() {
            Some(lighthouse())
        } else {
            None
        };
        stop(&mut child);
        let out = out.map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        print!(
            "{}",
            text.lines()
                .filter(|l| !l.starts_with("ROUTES:"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        println!();
        let json = text
            .lines()
            .find_map(|l| l.strip_prefix("ROUTES:"))
            .ok_or("routes.mjs printed no results")?;
        let rows: Vec<serde_json::Value> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        runs.push(rows);
        match lh {
            Some(Ok(rows)) => lh_rows = rows,
            Some(Err(e)) => println!("  Lighthouse failed: {e}"),
            None => {}
        }
    }
    step("SPA first load per route: unsplit → split (brotli 11 of document + JS + WASM + CSS)");
    println!(
        "  {:<7} {:<32} {:>9} → {:>8}  {:>5}  {:>6} → {:>6}",
        "", "route", "before B", "after B", "files", "TTI s", "TTI s"
    );
    for (a, b) in runs[0].iter().zip(&runs[1]) {
        let n = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or(0.0);
        println!(
            "  {:<7} {:<32} {:>9} → {:>8}  {:>5}  {:>6.2} → {:>6.2}",
            b["kind"].as_str().unwrap_or(""),
            b["path"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(32)
                .collect::<String>(),
            n(a, "br"),
            n(b, "br"),
            n(b, "requests"),
            n(a, "ms") / 1000.0,
            n(b, "ms") / 1000.0,
        );
    }
    let pkg = std::fs::read_dir(root().join("dist/pkg"))
        .map_err(|e| e.to_string())?
        .flatten()
        .next()
        .ok_or("no dist/pkg")?
        .path();
    let (mut all, mut chunks) = (0, 0);
    for f in list(&pkg)? {
        let (_, _, br) = crate::sizes(&pkg.join(&f))?;
        if f.ends_with(".wasm") && f != "app_bg.wasm" {
            chunks += 1;
        }
        if f == "app_bg.wasm" || f == "app.js" {
            let (raw, _, _) = crate::sizes(&pkg.join(&f))?;
            println!("  main {f}: raw {raw} B, brotli {br} B");
        }
        all += br;
    }
    println!(
        "  {chunks} chunk files; everything in {} : brotli {all} B",
        pkg.display()
    );
    step(&format!(
        "Lighthouse {LIGHTHOUSE_VERSION} mobile (split build): performance, accessibility, LCP, CLS, TBT"
    ));
    for r in &lh_rows {
        println!(
            "  {:<7} {:<32} performance {:>3}  accessibility {:>3}  LCP {:>5.2} s  CLS {:.3}  TBT {:>4} ms",
            r["kind"].as_str().unwrap_or(""),
            r["path"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(32)
                .collect::<String>(),
            r["perf"].as_i64().unwrap_or(0),
            r["a11y"].as_i64().unwrap_or(0),
            r["lcp"].as_f64().unwrap_or(0.0) / 1000.0,
            r["cls"].as_f64().unwrap_or(0.0),
            r["tbt"].as_f64().unwrap_or(0.0).round() as i64,
        );
    }
    Ok(())
}

/// Lighthouse for the bench, pinned (13.x needs Node 22); installed here, not by the tests.
const LIGHTHOUSE_VERSION: &str = "12.2.3";

/// `tests/bench/lighthouse.mjs` against the bench's `wrangler dev`: one row per route.
fn lighthouse() -> Res<Vec<serde_json::Value>> {
    let dir = root().join("target/lighthouse");
    let pkg = dir.join("node_modules/lighthouse/package.json");
    let installed = std::fs::read_to_string(&pkg).unwrap_or_default();
    if !installed.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")) {
        step(&format!(
            "bench: installing Lighthouse {LIGHTHOUSE_VERSION}"
        ));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        run(cmd("npm")
            .args(["install", "--no-audit", "--no-fund", "-E"])
            .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}"))
            .arg("--prefix")
            .arg(&dir))?;
    }
    step("SPA routes in Lighthouse (mobile)");
    let out = cmd("node")
        .arg("tests/bench/lighthouse.mjs")
        .env("BASE_URL", format!("http://127.0.0.1:{BENCH_PORT}"))
        .env("LIGHTHOUSE_DIR", &dir)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    for l in text.lines().filter(|l| !l.starts_with("LIGHTHOUSE:")) {
        println!("{l}");
    }
    let json = text
        .lines()
        .find_map(|l| l.strip_prefix("LIGHTHOUSE:"))
        .ok_or("lighthouse.mjs printed no results")?;
    serde_json::from_str(json).map_err(|e| e.to_string())
}

fn list(dir: &Path) -> Res<Vec<String>> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    Ok(v)
}

/// Group name → the WASM files its load fetches (its own file and the shared chunks it
/// waits for), read from the loader `wasm-split-cli` wrote:
/// `const __chunk_3 = makeLoad(() => { … fetch(new URL("./chunk_3_x.wasm" …`, and
/// `export const __wasm_split_load_<group> = wrapAsyncCb(makeLoad(… "./split_…wasm" …, [__chunk_3]))`.
pub fn split_groups(js: &str) -> Res<BTreeMap<String, Vec<String>>> {
    fn file_in(s: &str) -> Option<String> {
        let a = s.find("new URL(\"./")? + "new URL(\"./".len();
        let b = s[a..].find('"')?;
        Some(s[a..a + b].to_string())
    }
    // Each declaration starts on its own line and runs to the next one.
    let mut decls: Vec<(String, String)> = Vec::new();
    for line in js.lines() {
        let name = line
            .strip_prefix("export const ")
            .or_else(|| line.strip_prefix("const "))
            .and_then(|l| l.split_once(" = "))
            .map(|(n, _)| n)
            .filter(|n| n.starts_with("__chunk_") || n.starts_with("__wasm_split_load_"));
        match (name, decls.last_mut()) {
            (Some(n), _) => decls.push((n.to_string(), format!("{line}\n"))),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    let mut chunks = BTreeMap::new();
    let mut groups = BTreeMap::new();
    for (name, rest) in &decls {
        if name.starts_with("__chunk_") {
            if let Some(f) = file_in(rest) {
                chunks.insert(name.clone(), f);
            }
        } else if let Some(group) = name.strip_prefix("__wasm_split_load_") {
            let mut files = Vec::new();
            if let Some(f) = file_in(rest) {
                files.push(f);
            }
            let deps = rest
                .rfind('[')
                .and_then(|a| rest[a + 1..].find(']').map(|b| &rest[a + 1..a + 1 + b]))
                .unwrap_or("");
            for dep in deps.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                let f = chunks
                    .get(dep)
                    .ok_or_else(|| format!("__wasm_split.js: unknown chunk {dep}"))?;
                files.push(f.clone());
            }
            groups.insert(group.to_string(), files);
        }
    }
    if groups.is_empty() {
        return Err("__wasm_split.js: no split loaders found".into());
    }
    Ok(groups)
}

/// The split group of a path: the boot script's rule, in Rust (for `frames.json` and tests).
fn group_of(path: &str) -> Option<&'static str> {
    ROUTE_GROUPS
        .iter()
        .find(|(p, _)| {
            if *p == "/" {
                path == "/"
            } else {
                path == *p || path.starts_with(&format!("{p}/"))
            }
        })
        .map(|(_, g)| *g)
}

/// `{"pkg": "/pkg/<hash>", "groups": {"kb": ["/pkg/<hash>/split_….wasm", …], …}}`.
fn manifest(pkg: &str, groups: &BTreeMap<String, Vec<String>>) -> String {
    let groups: BTreeMap<&String, Vec<String>> = groups
        .iter()
        .map(|(g, fs)| (g, fs.iter().map(|f| format!("{pkg}/{f}")).collect()))
        .collect();
    serde_json::json!({ "pkg": pkg, "groups": groups }).to_string()
}

/// Adds `<link rel="preload">` for the chunks of the route it is opened at, asks for the
/// session (`/api/me`) and, once it is signed in, for the route's first data
/// ([`ROUTE_DATA`]), then loads the app (a dynamic import, so the preloads go out before
/// the main module is fetched). The answers wait in `window.__mdsPre` (path → promise of
/// `[status, body, received at]`, or of nothing for an answer not worth keeping) for
/// `api::get_json` to take: no round trip between the app starting and a signed-in page
/// rendering. The requests say `X-Mds-Prefetch: boot` (for logs and tests).
/// The app starts two frames after the document's first one (or 100 ms, in a hidden tab): the
/// server's paint (a KB page, a page's frame) is presented and reported as the largest paint
/// before the app replaces it (when the app took over within a frame or so, Chromium
/// reported no largest paint for what the server painted, and Lighthouse then dated the
/// largest paint by the app's downloads); its files are already downloading (preloads).
/// The session's request goes out before the chunks' preloads: on a link with few
/// connections (HTTP/1.1) it must not queue behind them. A chunk the document already
/// preloads (the Worker's KB pages and framed pages) is not preloaded twice.
fn boot_script(pkg: &str, groups: &BTreeMap<String, Vec<String>>) -> String {
    let routes: Vec<(&str, &str)> = ROUTE_GROUPS
        .iter()
        .filter(|(_, g)| groups.contains_key(*g))
        .copied()
        .collect();
    let files: BTreeMap<&String, &Vec<String>> = groups.iter().collect();
    format!(
        "const P = {pkg:?};\n\
         const R = {routes};\n\
         const G = {groups};\n\
         const path = location.pathname.replace(/\\/+$/, '') || '/';\n\
         const hit = R.find(([p]) => p === '/' ? path === '/' : path === p || path.startsWith(p + '/'));\n\
         const D = {data};\n\
         const pre = (window.__mdsPre = new Map());\n\
         const get = (u, keep) => {{\n\
         \x20 const a = fetch(u, {{ headers: {{ accept: 'application/json', 'x-mds-prefetch': 'boot' }} }})\n\
         \x20   .then((r) => r.text().then((t) => (keep(r.status) ? [r.status, t, Date.now()] : undefined)))\n\
         \x20   .catch(() => undefined);\n\
         \x20 pre.set(u, a);\n\
         \x20 return a;\n\
         }};\n\
         get('/api/me', (s) => s === 200 || s === 401).then((me) => {{\n\
         \x20 if (!me || me[0] !== 200) return;\n\
         \x20 const y = new Date().getUTCFullYear();\n\
         \x20 const d = D.find(([p]) => (p.endsWith('/') ? path.startsWith(p) && !path.slice(p.length).includes('/') : path === p));\n\
         \x20 const id = d ? path.slice(d[0].length) : '';\n\
         \x20 for (const u of ['/api/notifications', ...(d ? d[1] : [])])\n\
         \x20   get(u.replace('{{id}}', id).replace('{{year}}', y).replace('{{next}}', y + 1), (s) => s === 200);\n\
         }});\n\
         for (const f of hit ? G[hit[1]] : []) {{\n\
         \x20 if (document.querySelector(`link[href=\"${{P}}/${{f}}\"]`)) continue;\n\
         \x20 const l = document.createElement('link');\n\
         \x20 l.rel = 'preload'; l.as = 'fetch'; l.type = 'application/wasm'; l.crossOrigin = 'anonymous';\n\
         \x20 l.href = `${{P}}/${{f}}`;\n\
         \x20 document.head.appendChild(l);\n\
         }}\n\
         await new Promise((r) => {{ requestAnimationFrame(() => requestAnimationFrame(r)); setTimeout(r, 100); }});\n\
         const {{ default: init }} = await import(`${{P}}/app.js`);\n\
         await init({{ module_or_path: `${{P}}/app_bg.wasm` }});\n",
        routes = serde_json::to_string(&routes).unwrap_or_default(),
        groups = serde_json::to_string(&files).unwrap_or_default(),
        data = serde_json::to_string(ROUTE_DATA).unwrap_or_default(),
    )
}

/// The template with its `data-trunk` links replaced: stylesheets copied under a hashed
/// name, the Rust link by the boot script and the preloads of the main module.
fn index_html(template: &str, dist: &Path, pkg: &str, boot: &str) -> Res<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(a) = rest.find("<link data-trunk") {
        out.push_str(&rest[..a]);
        let len = rest[a..]
            .find('>')
            .ok_or("index.html: unterminated <link>")?
            + 1;
        let tag = &rest[a..a + len];
        let href = tag
            .split("href=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .ok_or_else(|| format!("index.html: no href in {tag}"))?;
        if tag.contains("rel=\"css\"") {
            let css = std::fs::read(root().join(href)).map_err(|e| format!("{href}: {e}"))?;
            let stem = Path::new(href)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let name = format!("{stem}-{:016x}.css", crate::simple_hash(&css));
            std::fs::write(dist.join(&name), &css).map_err(|e| e.to_string())?;
            out.push_str(&format!(
                "<link rel=\"stylesheet\" href=\"/{name}\" integrity=\"{}\"/>",
                sri(&css)
            ));
        } else if tag.contains("rel=\"rust\"") {
            out.push_str(&format!(
                "<script type=\"module\" src=\"/{boot}\"></script>\n    \
                 <link rel=\"modulepreload\" href=\"{pkg}/app.js\" crossorigin=\"anonymous\">\n    "
            ));
            out.push_str(&format!(
                "<link rel=\"preload\" href=\"{pkg}/app_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">"
            ));
        } else {
            return Err(format!("index.html: unknown link {tag}"));
        }
        rest = &rest[a + len..];
    }
    out.push_str(rest);
    Ok(out)
}

fn sri(bytes: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha384};
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const JS: &str = r#"import { initSync } from "./app.js";
/* kb, tickets */
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3_kb_tickets.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_tickets = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_5_tickets.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_3]));
export const __wasm_split_load_kb = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_3]));
"#;

    #[test]
    fn groups_read_from_the_loader() {
        let g = split_groups(JS).unwrap();
        assert_eq!(
            g["tickets"],
            vec!["split_5_tickets.wasm", "chunk_3_kb_tickets.wasm"]
        );
        assert_eq!(g["kb"], vec!["chunk_3_kb_tickets.wasm"]);
    }

    #[test]
    fn link_sections_are_dropped() {
        // header, a custom "linking" section, a custom "keep" section, a type section
        let mut w = b"\0asm\x01\0\0\0".to_vec();
        w.extend([0, 8, 7]);
        w.extend(b"linking");
        w.extend([0, 5, 4]);
        w.extend(b"keep");
        w.extend([1, 1, 0]);
        let out = strip_link_sections(&w).unwrap();
        assert_eq!(out.len(), 8 + 7 + 3);
        assert!(out.windows(4).any(|x| x == b"keep"));
        assert!(!out.windows(7).any(|x| x == b"linking"));
    }

    #[test]
    fn framed_pages_reach_the_worker() {
        let toml = std::fs::read_to_string(root().join("wrangler.toml")).unwrap();
        let first = toml.split("run_worker_first").nth(1).unwrap();
        let first = &first[..first.find(']').unwrap()];
        for (path, ..) in ROUTE_FRAMES {
            assert!(
                first.contains(&format!("\"{path}\"")),
                "{path} in run_worker_first"
            );
        }
        assert!(
            first.contains("\"/tickets/*\""),
            "a ticket's page in run_worker_first"
        );
        let texts = frame_texts().unwrap();
        assert_eq!(texts["ticket"][1]["en"][0], "← My tickets");
        assert_eq!(texts["ticket"][2], "ticket");
        assert_eq!(texts["pages"]["/admin/empresas"][3], "admin");
        assert_eq!(texts["pages"]["/cola"][2]["es"][0], "Cola de tickets");
        assert_eq!(texts["names"]["en"], "Support Desk");
    }

    #[test]
    fn routes_map_to_groups() {
        assert_eq!(group_of("/"), Some("public"));
        assert_eq!(group_of("/kb/correo/x"), Some("kb"));
        assert_eq!(group_of("/admin/empresas/1"), Some("admin"));
        assert_eq!(group_of("/tickets/abc"), Some("ticket"));
        assert_eq!(group_of("/cuentas"), None);
    }

    #[test]
    fn template_links_are_replaced() {
        let dir = std::env::temp_dir().join(format!("mds-spa-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let t = "<head><link data-trunk rel=\"css\" href=\"style/kb.css\" />\n\
                 <link data-trunk rel=\"rust\" href=\"app/Cargo.toml\" /></head>";
        let html = index_html(t, &dir, "/pkg/ab", "boot-1.js").unwrap();
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/kb-"));
        assert!(html.contains("<script type=\"module\" src=\"/boot-1.js\"></script>"));
        assert!(html.contains("href=\"/pkg/ab/app.js\""));
        assert!(!html.contains("__wasm_split.js"), "bundled into app.js");
        assert!(!html.contains("data-trunk"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
