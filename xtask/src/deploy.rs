//! `cargo xtask deploy` (never run by CI) and the bundle-size proof run by `cargo xtask test`.
use std::process::Stdio;

use crate::{cmd, root, run, step, Res};

/// Workers' compressed-size limits: 3 MiB on the Free plan, 10 MiB on Paid.
const FREE_LIMIT_KIB: f64 = 3.0 * 1024.0;
const PAID_LIMIT_KIB: f64 = 10.0 * 1024.0;

/// Secrets the Worker must have in production (`wrangler secret put NAME`). Sessions and
/// reader ids need no secret (tokens are 256-bit random and stored hashed; the reader key
/// lives in D1), so a session pepper would add nothing. The mail provider is checked apart:
/// see [`mail_problem`].
/// `CREDENTIALS_KEY` (base64 of 32 random bytes: `openssl rand -base64 32`) seals the
/// remote-access credentials clients share in paid tickets (issue 13, P15).
const REQUIRED_SECRETS: &[&str] = &["CREDENTIALS_KEY"];

/// The mail provider's API key, needed unless `wrangler.toml` binds Cloudflare `send_email`.
const MAIL_SECRET: &str = "RESEND_API_KEY";

/// Variables that enable development-only behaviour: `MDS_DEV` (dev mailbox, dev clock,
/// `Server-Timing`) and the test hooks (the ticket clock shift). `cargo xtask dev`/`test`
/// pass them with `--var`; they must never be in `wrangler.toml`.
const DEV_ONLY_VARS: &[&str] = &["MDS_DEV", "MDS_ALLOW_TEST_HOOKS", "CREDENTIALS_KEY"];

/// `wrangler deploy --dry-run`: proves the bundle builds; prints and checks its gzip size.
pub fn dry_run() -> Res {
    step("deploy dry run (wrangler deploy --dry-run)");
    let out = cmd("wrangler")
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(root().join("target/deploy-dry-run"))
        .env("CI", "true")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("wrangler deploy --dry-run: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    if !out.status.success() {
        return Err(format!("wrangler deploy --dry-run failed ({})", out.status));
    }
    let gzip = gzip_kib(&text).ok_or("no `gzip:` size in wrangler's output")?;
    println!("compressed Worker bundle: {gzip:.1} KiB (Free plan limit {FREE_LIMIT_KIB:.0} KiB, Paid {PAID_LIMIT_KIB:.0} KiB)");
    if gzip > PAID_LIMIT_KIB {
        return Err(format!(
            "the bundle ({gzip:.1} KiB gzip) is over Workers' 10 MiB limit"
        ));
    }
    if gzip > FREE_LIMIT_KIB {
        println!("warning: over the Free plan's 3 MiB; deploy needs the Paid plan");
    }
    Ok(())
}

/// `Total Upload: 1234.56 KiB / gzip: 456.78 KiB` → 456.78.
fn gzip_kib(output: &str) -> Option<f64> {
    let line = output.lines().find(|l| l.contains("gzip:"))?;
    let after = line.split("gzip:").nth(1)?.trim();
    let mut parts = after.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    Some(match parts.next()? {
        "MiB" => n * 1024.0,
        "KiB" => n,
        "B" => n / 1024.0,
        _ => return None,
    })
}

/// Reasons `wrangler.toml` must not be deployed as it is.
fn refusals(wrangler_toml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in wrangler_toml.lines().map(str::trim) {
        if line.starts_with('#') {
            continue;
        }
        for var in DEV_ONLY_VARS {
            if line.starts_with(var) {
                out.push(format!(
                    "development-only variable {var} is set in wrangler.toml"
                ));
            }
        }
        if line.starts_with("database_id") && line.contains("00000000-0000-0000-0000-000000000000")
        {
            out.push(
                "wrangler.toml still has the placeholder D1 database_id (wrangler d1 create mesa)"
                    .into(),
            );
        }
    }
    out
}

/// Without a mail transport nobody is told anything (issue 11): either the Resend key is a
/// secret or `wrangler.toml` has a `[[send_email]]` binding.
fn mail_problem(wrangler_toml: &str, secrets_json: &str) -> Option<String> {
    let bound = wrangler_toml
        .lines()
        .any(|l| l.trim().starts_with("[[send_email]]"));
    let keyed = secrets_json.contains(&format!("\"{MAIL_SECRET}\""));
    (!bound && !keyed).then(|| {
        format!("no mail transport: set the secret {MAIL_SECRET} (wrangler secret put {MAIL_SECRET}) or bind [[send_email]] in wrangler.toml")
    })
}

/// Checks, applies the D1 migrations remotely, deploys. Refuses when a development-only
/// feature would be enabled or a secret is missing.
pub fn deploy() -> Res {
    let toml = std::fs::read_to_string(root().join("wrangler.toml")).map_err(|e| e.to_string())?;
    let mut problems = refusals(&toml);
    let out = cmd("wrangler")
        .args(["secret", "list", "--format", "json"])
        .output()
        .map_err(|e| e.to_string())?;
    let listed = String::from_utf8_lossy(&out.stdout);
    for s in REQUIRED_SECRETS {
        if !listed.contains(&format!("\"{s}\"")) {
            problems.push(format!("secret {s} is not set (wrangler secret put {s})"));
        }
    }
    problems.extend(mail_problem(&toml, &listed));
    if !problems.is_empty() {
        return Err(format!(
            "refusing to deploy:\n  - {}",
            problems.join("\n  - ")
        ));
    }
    crate::build()?;
    dry_run()?;
    step("deploy: the outbox queues (created once; an existing queue is left as it is)");
    for queue in ["mds-outbox", "mds-outbox-dlq"] {
        let exists = crate::output(cmd("wrangler").args(["queues", "info", queue])).is_some();
        if !exists {
            run(cmd("wrangler").args(["queues", "create", queue]))?;
        }
    }
    step("deploy: D1 migrations (remote)");
    run(cmd("wrangler").args(["d1", "migrations", "apply", "DB", "--remote"]))?;
    step("deploy: wrangler deploy");
    run(cmd("wrangler").arg("deploy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_gzip_size() {
        let out = "Total Upload: 2345.67 KiB / gzip: 789.01 KiB\n--dry-run: exiting now.";
        assert_eq!(gzip_kib(out), Some(789.01));
        assert_eq!(
            gzip_kib("Total Upload: 12.5 MiB / gzip: 3.5 MiB"),
            Some(3.5 * 1024.0)
        );
        assert_eq!(gzip_kib("nothing"), None);
    }

    #[test]
    fn refuses_dev_only_features_and_the_placeholder_database() {
        let ok = "[vars]\nAPP_VERSION = \"0.1.0\"\n# MDS_ALLOW_TEST_HOOKS = \"1\"\ndatabase_id = \"4f1e\"\n";
        assert!(refusals(ok).is_empty());
        let bad = "database_id = \"00000000-0000-0000-0000-000000000000\"\n[vars]\nMDS_ALLOW_TEST_HOOKS = \"1\"\n";
        assert_eq!(refusals(bad).len(), 2);
        assert_eq!(refusals("[vars]\nMDS_DEV = \"1\"\n").len(), 1);
    }

    #[test]
    fn needs_a_mail_transport() {
        assert!(mail_problem("[vars]\n", "[]").is_some());
        assert!(mail_problem(
            "[vars]\n",
            r#"[{"name":"RESEND_API_KEY","type":"secret_text"}]"#
        )
        .is_none());
        assert!(mail_problem("[[send_email]]\nname = \"MAIL\"\n", "[]").is_none());
    }
}
