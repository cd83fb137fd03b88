//! `cargo xtask <dev|test|bench|setup|build|deploy>`: installs what is missing (cached by version
//! check), builds the SPA and the Worker, prepares a local D1 and runs the system or its tests.
mod bench_seed;
mod deploy;
mod headers;
mod kb;
mod kb_bench;
mod seed;
mod spa;
mod split_merge;

use std::env;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

type Res<T = ()> = Result<T, String>;

const DEV_PORT: u16 = 8787;
const TEST_PORT: u16 = 8788;

/// Port of the test server (`MDS_TEST_PORT`, default 8788): parallel runs need their own.
fn test_port() -> u16 {
    env::var("MDS_TEST_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(TEST_PORT)
}
const WORKER_BUILD_VERSION: &str = "0.8.7";

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let cmd = args.first().map(String::as_str).unwrap_or("help");
    let result = match cmd {
        "setup" => setup(false),
        // `--unsplit` (or MDS_SPA_UNSPLIT=1): the SPA as one module, for debugging.
        "build" => setup(false).and_then(|_| build_with(spa::split_requested(&args[1..]))),
        // Only the SPA (dist/), e.g. while measuring its chunks; `--unsplit` as for `build`.
        "build-spa" => setup(false).and_then(|_| spa::build(spa::split_requested(&args[1..]))),
        "dev" => dev(),
        "test" => test(&args[1..]),
        "bench" => bench(),
        // Production deploy (not run by CI): refuses dev-only features, migrates D1, deploys.
        "deploy" => setup(false).and_then(|_| deploy::deploy()),
        // Only the tickets scale benchmark (needs a built Worker: `cargo xtask build`).
        "bench-tickets" => bench_seed::tickets(),
        // Only the knowledge-base benchmark: 10k articles, search latency, first contentful text.
        "bench-kb" => kb_bench::kb(),
        // Only the SPA first-load benchmark (issue 14): every route, unsplit → split.
        "bench-spa" => setup(false).and_then(|_| spa::bench()),
        "seed-sql" => seed::write_sql(&root().join("target/demo-seed.sql")),
        // Knowledge-base content as SQL, e.g. for `wrangler d1 execute DB --remote --file …`.
        "kb-sql" => kb::write_sql(
            &root().join("content/kb"),
            &root().join("target/kb-content.sql"),
        ),
        _ => {
            eprintln!("usage: cargo xtask <dev|test|bench|setup|build|deploy>");
            Ok(())
        }
    };
    if let Err(e) = result {
        eprintln!("\nxtask: {e}");
        std::process::exit(1);
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn step(name: &str) {
    println!("\n==> {name}");
}

/// PATH with the project's npm tools (Node 22, wrangler, wasm-opt) and cargo's bin first.
fn tool_path() -> String {
    let home = env::var("HOME").unwrap_or_else(|_| "/root".into());
    let cargo_bin = env::var("CARGO_HOME")
        .map(|h| format!("{h}/bin"))
        .unwrap_or_else(|_| format!("{home}/.cargo/bin"));
    format!(
        "{}:{}:{}",
        root().join("node_modules/.bin").display(),
        cargo_bin,
        env::var("PATH").unwrap_or_default()
    )
}

fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root())
        .env("PATH", tool_path())
        .env("WRANGLER_SEND_METRICS", "false")
        .env(
            "WASM_BINDGEN_BIN",
            which("wasm-bindgen").unwrap_or_default(),
        )
        .env(
            "WASM_OPT_BIN",
            root()
                .join("node_modules/.bin/wasm-opt")
                .display()
                .to_string(),
        );
    c
}

fn run(c: &mut Command) -> Res {
    let shown = format!("{c:?}");
    let status = c.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed ({status}): {shown}"))
    }
}

fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).to_string())
}

fn which(program: &str) -> Option<String> {
    env::split_paths(&tool_path())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

fn version_of(program: &str) -> Option<String> {
    which(program)?;
    output(cmd(program).arg("--version"))
}

/// wasm-bindgen-cli must equal the `wasm-bindgen` crate version in Cargo.lock.
fn locked_wasm_bindgen() -> Res<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

fn cargo_install(args: &[&str]) -> Res {
    run(cmd("cargo").arg("install").args(args))
}

/// Installs every tool that is missing or at the wrong version. A second run only checks.
fn setup(with_browser: bool) -> Res {
    step("setup: checking tools");
    let targets = output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.contains("wasm32-unknown-unknown") {
        run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    // The SPA's code splitter (issue 14), patched to merge chunks (`split_merge.rs`).
    split_merge::splitter()?;
    let wb = locked_wasm_bindgen()?;
    if !version_of("wasm-bindgen").is_some_and(|v| v.trim().ends_with(&wb)) {
        // `--locked` fails on a crate missing from the registry mirror; resolve afresh.
        cargo_install(&["wasm-bindgen-cli", "--version", &wb])?;
    }
    if !version_of("worker-build").is_some_and(|v| v.contains(WORKER_BUILD_VERSION)) {
        cargo_install(&[
            "worker-build",
            "--version",
            WORKER_BUILD_VERSION,
            "--locked",
        ])?;
    }
    npm_install()?;
    if with_browser {
        ensure_schemathesis()?;
    }
    if with_browser && !Path::new("/usr/bin/chromium").exists() {
        step("setup: installing Debian chromium for browser tests");
        run(Command::new("apt-get").arg("update"))?;
        run(Command::new("apt-get").args(["install", "-y", "chromium"]))?;
    }
    println!("tools ready");
    Ok(())
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn npm_install() -> Res {
    let stamp = root().join("node_modules/.mds-installed");
    let lock = std::fs::read(root().join("package-lock.json")).map_err(|e| e.to_string())?;
    let wanted = format!("{:x}", simple_hash(&lock));
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    // flock: parallel xtask runs must not interleave two `npm ci` on one node_modules.
    run(Command::new("flock").current_dir(root()).args([
        "/tmp/mesa-de-soporte-npm.lock",
        "npm",
        "ci",
        "--no-audit",
        "--no-fund",
    ]))?;
    std::fs::write(stamp, wanted).map_err(|e| e.to_string())
}

/// The OpenAPI fuzzer of the contract test, pinned, in its own virtualenv under `target/`.
const SCHEMATHESIS_VERSION: &str = "4.32.5";

fn schemathesis_bin() -> PathBuf {
    root().join("target/venv/bin/schemathesis")
}

fn ensure_schemathesis() -> Res {
    let bin = schemathesis_bin();
    if output(Command::new(&bin).arg("--version")).is_some_and(|v| v.contains(SCHEMATHESIS_VERSION))
    {
        return Ok(());
    }
    step("setup: installing schemathesis (PyPI) for the contract test");
    let venv = root().join("target/venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}

fn simple_hash(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100000001b3)
    })
}

/// Where the SPA is compiled: its own target dir, because it is built with
/// `--cfg erase_components` (Leptos erases the view types: about 95 KB less brotli WASM)
/// and the Worker (same wasm32 target) without it — sharing one dir would rebuild both.
const SPA_TARGET_DIR: &str = "target/spa";

fn build() -> Res {
    build_with(spa::split_requested(&[]))
}

fn build_with(split: bool) -> Res {
    spa::build(split)?;
    step("build: Worker (worker-build, release)");
    run(cmd("worker-build")
        .arg("--release")
        .current_dir(root().join("worker")))?;
    Ok(())
}

/// Applies migrations and loads demo data into a local D1 kept in `state`.
fn prepare_db(state: &Path, fresh: bool) -> Res {
    if fresh && state.exists() {
        std::fs::remove_dir_all(state).map_err(|e| e.to_string())?;
    }
    step("database: applying migrations");
    run(cmd("wrangler")
        .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
        .arg(state)
        .env("CI", "true"))?;
    step("database: loading knowledge-base content");
    let kb_sql = root().join("target/kb-content.sql");
    kb::write_sql(&root().join("content/kb"), &kb_sql)?;
    run(cmd("wrangler")
        .args(["d1", "execute", "DB", "--local", "--persist-to"])
        .arg(state)
        .arg("--file")
        .arg(&kb_sql)
        .env("CI", "true"))?;
    step("database: loading demo data");
    let sql = root().join("target/demo-seed.sql");
    seed::write_sql(&sql)?;
    run(cmd("wrangler")
        .args(["d1", "execute", "DB", "--local", "--persist-to"])
        .arg(state)
        .arg("--file")
        .arg(&sql)
        .env("CI", "true"))?;
    Ok(())
}

/// `test_hooks`: enables the test-only endpoints (`MDS_ALLOW_TEST_HOOKS=1`); never for `dev`.
/// How `wrangler dev` is configured: `Dev` (dev mailbox and clock), `Test` (also the test
/// hooks), `Deployed` (neither: what `wrangler deploy` ships, to prove dev features are off).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Dev,
    Test,
    Deployed,
}

/// The development-only credential key (base64 of 32 bytes); never used by a deployed Worker.
const DEV_CREDENTIALS_KEY: &str = "ZGV2LW9ubHktY3JlZGVudGlhbC1rZXktMzItYnl0ZXM=";

fn start_wrangler(state: &Path, port: u16, log: Option<&Path>, mode: Mode) -> Res<Child> {
    let mut c = cmd("wrangler");
    c.args([
        "dev",
        "--local",
        "--test-scheduled",
        "--ip",
        "127.0.0.1",
        "--port",
    ])
    .arg(port.to_string())
    .arg("--persist-to")
    .arg(state)
    .env("CI", "true");
    // Dev-only features (dev mailbox, dev clock) for `dev` and `test`; never in wrangler.toml.
    if mode != Mode::Deployed {
        c.args(["--var", "MDS_DEV:1"]);
        // A fixed development key for the sealed credentials (issue 13); a deployed Worker
        // takes it from the secret CREDENTIALS_KEY, which `cargo xtask deploy` requires.
        c.args(["--var", &format!("CREDENTIALS_KEY:{DEV_CREDENTIALS_KEY}")]);
    }
    if mode == Mode::Test {
        c.args(["--var", "MDS_ALLOW_TEST_HOOKS:1"]);
    }
    if let Some(log) = log {
        let f = std::fs::File::create(log).map_err(|e| e.to_string())?;
        c.stdout(f.try_clone().map_err(|e| e.to_string())?)
            .stderr(f);
    }
    let child = c.spawn().map_err(|e| format!("wrangler dev: {e}"))?;
    wait_healthy(port, Duration::from_secs(120))?;
    Ok(child)
}

pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    let status = buf.split_whitespace().nth(1)?.parse().ok()?;
    let body = buf
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    Some((status, body))
}

fn wait_healthy(port: u16, limit: Duration) -> Res {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some((200, body)) = http_get(port, "/api/health") {
            if body.contains("ok") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    Err(format!(
        "wrangler dev did not answer on port {port} within {limit:?}"
    ))
}

fn dev() -> Res {
    setup(false)?;
    build()?;
    let state = root().join(".wrangler/state");
    prepare_db(&state, false)?;
    step("starting wrangler dev");
    let mut child = start_wrangler(&state, DEV_PORT, None, Mode::Dev)?;
    println!("\nMesa de Soporte is running at http://127.0.0.1:{DEV_PORT}\n");
    println!("Demo accounts (password: {}):", seed::DEMO_PASSWORD);
    for u in seed::USERS {
        println!("  {:<18} {:<6} {}", u.email, u.role, u.note);
    }
    println!("\nPress Ctrl+C to stop.");
    child.wait().map_err(|e| e.to_string())?;
    Ok(())
}

struct Tally {
    passed: usize,
    failed: usize,
}

fn test(args: &[String]) -> Res {
    let started = Instant::now();
    // `--no-build`: skip checks and builds; `--only PATTERN`: run only matching test files.
    let quick = args.iter().any(|a| a == "--no-build");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    setup(true)?;
    if !quick {
        step("format");
        run(cmd("cargo").args(["fmt", "--all", "--", "--check"]))?;
        step("clippy (native: domain, xtask)");
        run(cmd("cargo").args([
            "clippy",
            "-p",
            "domain",
            "-p",
            "xtask",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        step("clippy (wasm32: worker, app)");
        run(cmd("cargo").args([
            "clippy",
            "-p",
            "worker-api",
            "-p",
            "app",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))?;
        step("native tests");
        run(cmd("cargo").args(["test", "-p", "domain", "-p", "xtask"]))?;
        // The Worker's pure parts (SQL text, plan → statements, view mapping) run natively.
        run(cmd("cargo").args(["test", "-p", "worker-api", "--lib"]))?;
        build()?;
        deploy::dry_run()?;
    }
    let port = test_port();
    let state = root().join(format!("target/test-state-{port}"));
    prepare_db(&state, true)?;
    step("starting wrangler dev for the tests");
    std::fs::create_dir_all(root().join("tests/out")).map_err(|e| e.to_string())?;
    let log = root().join(format!("tests/out/wrangler-{port}.log"));
    let mut child = start_wrangler(&state, port, Some(&log), Mode::Test)?;
    let result = (|| {
        let mut tally = Tally {
            passed: 0,
            failed: 0,
        };
        step("API tests (node:test against wrangler dev)");
        node_tests("tests/api", only.as_deref(), &mut tally)?;
        step("browser end-to-end tests (Playwright + Chromium)");
        node_tests("tests/e2e", only.as_deref(), &mut tally)?;
        // Last: the fuzzer writes junk through every operation, as every role.
        step("contract fuzz (schemathesis over /api/openapi.json, per role)");
        node_tests("tests/contract", only.as_deref(), &mut tally)?;
        Ok::<_, String>(tally)
    })();
    stop(&mut child);
    let mut tally = result?;
    step("deployed configuration (wrangler dev without the dev-only variables)");
    let deployed_port = port + 100;
    let log = root().join(format!("tests/out/wrangler-{deployed_port}.log"));
    let mut child = start_wrangler(&state, deployed_port, Some(&log), Mode::Deployed)?;
    let result = node_tests_on("tests/deployed", only.as_deref(), &mut tally, deployed_port);
    stop(&mut child);
    result?;
    record_timing(quick, started.elapsed());
    println!(
        "\nblack-box suites: {} passed, {} failed ({:.0?} in all)",
        tally.passed,
        tally.failed,
        started.elapsed()
    );
    if tally.failed > 0 {
        return Err(format!(
            "{} black-box test(s) failed; see tests/out/",
            tally.failed
        ));
    }
    Ok(())
}

/// Stops wrangler and the workerd it started (its child process group).
fn stop(child: &mut Child) {
    let _ = Command::new("pkill")
        .args(["-TERM", "-P", &child.id().to_string()])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

fn node_tests(dir: &str, only: Option<&str>, tally: &mut Tally) -> Res {
    node_tests_on(dir, only, tally, test_port())
}

fn node_tests_on(dir: &str, only: Option<&str>, tally: &mut Tally, port: u16) -> Res {
    let files: Vec<String> = std::fs::read_dir(root().join(dir))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "mjs") && !p.to_string_lossy().contains("helpers")
        })
        .map(|p| p.display().to_string())
        .filter(|p| only.is_none_or(|o| p.contains(o)))
        .collect();
    if files.is_empty() && only.is_some() {
        return Ok(());
    }
    if files.is_empty() {
        return Err(format!("no tests found in {dir}"));
    }
    let out = cmd("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&files)
        .env("BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("MDS_SCHEMATHESIS", schemathesis_bin())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    let count = |label: &str| {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix(label))
            .filter_map(|n| n.trim().parse::<usize>().ok())
            .next_back()
            .unwrap_or(0)
    };
    let (passed, failed) = (count("ℹ pass"), count("ℹ fail"));
    tally.passed += passed;
    tally.failed += failed;
    if !out.status.success() && failed == 0 {
        return Err(format!("node --test {dir} failed to run"));
    }
    Ok(())
}

/// Appends this run's duration to `target/test-timings.txt` (read by `cargo xtask bench`).
fn record_timing(quick: bool, elapsed: Duration) {
    let kind = if quick { "no-build" } else { "full" };
    let line = format!("{kind} {:.0}\n", elapsed.as_secs_f64());
    let path = root().join("target/test-timings.txt");
    let mut old = std::fs::read_to_string(&path).unwrap_or_default();
    old.push_str(&line);
    let _ = std::fs::write(path, old);
}

fn bench() -> Res {
    setup(false)?;
    step("cargo xtask test durations (first = coldest recorded, last = latest)");
    let timings =
        std::fs::read_to_string(root().join("target/test-timings.txt")).unwrap_or_default();
    let full: Vec<&str> = timings.lines().filter(|l| l.starts_with("full ")).collect();
    match (full.first(), full.last()) {
        (Some(first), Some(last)) => println!(
            "  first full run {} s, latest full run {} s ({} full runs recorded)",
            &first[5..],
            &last[5..],
            full.len()
        ),
        _ => println!("  no full `cargo xtask test` run recorded yet"),
    }
    build()?;
    step("SPA files (wasm + js + css + html)");
    let dist = root().join("dist");
    let mut total = (0usize, 0usize, 0usize);
    // dist/ and the hashed SPA folder dist/pkg/<hash>/.
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![dist.clone()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| e.to_string())?.flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                paths.push(p);
            }
        }
    }
    paths.sort();
    for p in paths {
        if !p
            .extension()
            .is_some_and(|x| ["wasm", "js", "css", "html"].iter().any(|e| x == *e))
        {
            continue;
        }
        let (raw, gz, br) = sizes(&p)?;
        println!(
            "  {:<48} raw {:>8}  gzip {:>8}  brotli {:>8}",
            p.file_name().unwrap().to_string_lossy(),
            raw,
            gz,
            br
        );
        total = (total.0 + raw, total.1 + gz, total.2 + br);
    }
    println!(
        "  TOTAL of every file, all routes (raw {} B, gzip {} B, brotli {} B); per route: below",
        total.0, total.1, total.2
    );
    step("Worker bundle");
    for entry in std::fs::read_dir(root().join("worker/build"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let p = entry.path();
        if p.is_file() {
            let (raw, gz, _) = sizes(&p)?;
            println!("  {:<48} raw {:>8}  gzip {:>8}", p.display(), raw, gz);
        }
    }
    let _ = Command::new("sh")
        .arg("-c")
        .arg("find worker/build -name '*.wasm' -exec ls -l {} \\;")
        .current_dir(root())
        .status();
    step("domain benchmarks");
    run(cmd("cargo").args(["bench", "-p", "domain"]))?;
    bench_seed::tickets()?;
    kb_bench::kb()?;
    spa::bench()?;
    Ok(())
}

/// (raw, gzip -9, brotli -q 11) byte sizes, measured by the system's gzip and node's zlib.
fn sizes(p: &Path) -> Res<(usize, usize, usize)> {
    let raw = std::fs::metadata(p).map_err(|e| e.to_string())?.len() as usize;
    let script = "const z=require('zlib'),f=require('fs');const b=f.readFileSync(process.argv[1]);\
        console.log(z.gzipSync(b,{level:9}).length+' '+z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)";
    let out = output(cmd("node").args(["-e", script]).arg(p)).ok_or("node zlib failed")?;
    let mut it = out
        .split_whitespace()
        .map(|x| x.parse::<usize>().unwrap_or(0));
    Ok((raw, it.next().unwrap_or(0), it.next().unwrap_or(0)))
}
