//! Fewer files per route (issue 14): `wasm-split-cli` gives every combination of split groups
//! that shares code its own chunk (`chunk_N.wasm`, up to 2^groups of them), so one route
//! fetched 14–16 of them. This module builds the splitter with a small patch that moves
//! chunks as told by `WASM_SPLIT_MERGE`, and chooses the moves from a first split:
//!
//! * code every route's group needs goes to the main module (every route downloads it
//!   anyway; a group that is no route's, like the nav bar's bell, does not count), and so
//!   does a merged chunk (below) that every route's group ends up loading;
//! * then, greedily, the two chunks whose union saves a download to the most groups for the
//!   fewest bytes that some of those groups do not need are merged, until the next merge
//!   would make routes download more than [`MAX_WASTE_PER_FILE`] weighted bytes they do
//!   not need per download saved ([`weight`]: a public page's unneeded byte counts most, a
//!   part loaded after its page is up least). (Forcing a cap of two shared chunks per route
//!   put 40 KB brotli more on the public routes with the groups of that day: their sharing
//!   is too entangled for that.) The greedy result moves by ±20 KB on a route when a group
//!   changes; measured on 11 groups (brotli, main included, files beyond main): 10 KB
//!   unweighted gave public 241 KB / 5 files and ticket 457 KB / 13 on 8 groups; the weights
//!   and 50 KB gave home and sign-in 186 KB / 3, KB 257 / 5, my tickets 364 / 9, the form
//!   366 / 8, a client's ticket 441 / 9, staff 408 / 9, admin 379 / 6. With my tickets in a
//!   group of its own (14 groups), measured on 2026-12-05 (public / KB / my tickets / form /
//!   ticket / staff / admin): 30 KB gave 184/3, 256/7, 243/8, 371/13, 447/17, 393/14,
//!   377/11; 50 KB 196/3, 260/5, 260/6, 374/10, 436/11, 396/11, 371/7; 80 KB (kept) 196/3,
//!   259/5, 262/5, 375/8, 438/9, 393/8, 378/5 — the fewest files for about the same bytes.
//!   Counting a public byte 12 times instead of 6 moved public by −14 / 0 KB and the rest
//!   by ±15 KB with more files. `MDS_SPLIT_WASTE` overrides the limit, for measuring.
//!
//! A merged chunk is loaded by every group of its label, a superset of the groups that need
//! each part of it, so nothing that runs can miss its code (calls between modules go through
//! the shared function table; code that is loaded but not needed is never called).
//!
//! The patched binary is installed in `target/tools/` (not over a shared `~/.cargo/bin`),
//! from the registry's source of the pinned version.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{cmd, root, run, step, Res};

/// Bytes of WASM code and data (before `wasm-opt`, ~3× the brotli size) that a merge may make
/// groups download without needing them, per download it saves.
pub const MAX_WASTE_PER_FILE: usize = 80_000;

/// How much a byte a group downloads without needing it counts: a public page's or the
/// KB's ([`PUBLIC_WEIGHT`]: the cold first visit on a phone), a signed-in route's or the
/// bell's (it loads on every signed-in page as soon as it is up) ([`ROUTE_WEIGHT`]: usually
/// reached through the sign-in page, main cached), or a part loaded only on some pages after
/// they are up (1: staff's side of a ticket).
fn weight(group: &str, routes: &BTreeSet<String>) -> usize {
    if matches!(group, "public" | "info" | "kb") {
        PUBLIC_WEIGHT
    } else if routes.contains(group) || group == "bell" {
        ROUTE_WEIGHT
    } else {
        1
    }
}

/// See [`weight`].
pub const PUBLIC_WEIGHT: usize = 6;
/// See [`weight`].
pub const ROUTE_WEIGHT: usize = 2;

/// [`MAX_WASTE_PER_FILE`], or `MDS_SPLIT_WASTE` (for measuring other trade-offs).
fn max_waste() -> usize {
    std::env::var("MDS_SPLIT_WASTE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_WASTE_PER_FILE)
}

/// The patch: `src/merge.rs`, and the hook in the painting loop of `split_point.rs`.
const MERGE_RS: &str = r#"//! Mesa de Soporte: `WASM_SPLIT_MERGE="a,b>a,b,c;a,b,c>main"` moves the code of the chunk
//! shared by exactly {a,b} into the chunk loaded with any of {a,b,c}, and so on.
use std::collections::{BTreeSet, HashMap};

use crate::split_point::SplitModuleIdentifier;

fn set(s: &str) -> BTreeSet<String> {
    s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

lazy_static::lazy_static! {
    static ref MERGE: HashMap<BTreeSet<String>, SplitModuleIdentifier> = {
        let mut m = HashMap::new();
        let spec = std::env::var("WASM_SPLIT_MERGE").unwrap_or_default();
        for entry in spec.split(';').filter(|e| !e.trim().is_empty()) {
            let (from, to) = entry.split_once('>').expect("WASM_SPLIT_MERGE: from>to");
            let from = set(from);
            let to = if to.trim() == "main" {
                SplitModuleIdentifier::Main
            } else {
                let to = set(to);
                assert!(from.is_subset(&to) && to.len() > 1, "WASM_SPLIT_MERGE: {entry}");
                SplitModuleIdentifier::Chunk(to)
            };
            m.insert(from, to);
        }
        m
    };
}

pub(crate) fn remap(color: &SplitModuleIdentifier) -> SplitModuleIdentifier {
    match color {
        SplitModuleIdentifier::Chunk(s) => MERGE.get(s).cloned().unwrap_or_else(|| color.clone()),
        _ => color.clone(),
    }
}
"#;
const HOOK_ANCHOR: &str = "        let module = match split_module_contents.get_mut(color) {";
const HOOK: &str =
    "        let remapped = crate::merge::remap(color);\n        let color = &remapped;\n";
const LIB_ANCHOR: &str = "mod split_point;";

/// The patched `wasm-split-cli`, built if missing or built from another patch.
pub fn splitter() -> Res<PathBuf> {
    let tools = root().join("target/tools");
    let bin = tools.join("bin/wasm-split-cli");
    let stamp_text = format!(
        "{} {:x}",
        crate::spa::WASM_SPLIT_VERSION,
        crate::simple_hash(format!("{MERGE_RS}{HOOK}").as_bytes())
    );
    let stamp = tools.join("wasm-split-cli.stamp");
    if bin.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&stamp_text) {
        return Ok(bin);
    }
    step("setup: wasm-split-cli (patched to merge chunks; about a minute on 2 cores)");
    let src = registry_source()?;
    let work = root().join("target/wasm-split-src");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| e.to_string())?;
    }
    run(cmd("cp").arg("-r").arg(&src).arg(&work))?;
    let sp = work.join("src/split_point.rs");
    let text = std::fs::read_to_string(&sp).map_err(|e| e.to_string())?;
    if text.matches(HOOK_ANCHOR).count() != 1 {
        return Err("wasm-split-cli patch: painting loop not found".into());
    }
    let text = text.replace(HOOK_ANCHOR, &format!("{HOOK}{HOOK_ANCHOR}"));
    std::fs::write(&sp, text).map_err(|e| e.to_string())?;
    let lib = work.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    if !text.contains(LIB_ANCHOR) {
        return Err("wasm-split-cli patch: lib.rs module list not found".into());
    }
    let text = text.replacen(LIB_ANCHOR, &format!("mod merge;\n{LIB_ANCHOR}"), 1);
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    std::fs::write(work.join("src/merge.rs"), MERGE_RS).map_err(|e| e.to_string())?;
    // Under `target/` it would otherwise count as a stray member of this workspace.
    let manifest = work.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    run(cmd("cargo")
        .args([
            "install",
            "--locked",
            "--features",
            "build-binary",
            "--path",
        ])
        .arg(&work)
        .arg("--root")
        .arg(&tools)
        .env("CARGO_TARGET_DIR", root().join("target/wasm-split-build")))?;
    std::fs::write(&stamp, stamp_text).map_err(|e| e.to_string())?;
    Ok(bin)
}

/// `$CARGO_HOME/registry/src/*/wasm_split_cli_support-<version>`, fetched if absent.
fn registry_source() -> Res<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("no CARGO_HOME or HOME")?;
    let name = format!("wasm_split_cli_support-{}", crate::spa::WASM_SPLIT_VERSION);
    let find = || -> Option<PathBuf> {
        std::fs::read_dir(home.join("registry/src"))
            .ok()?
            .flatten()
            .map(|e| e.path().join(&name))
            .find(|p| p.join("src/split_point.rs").exists())
    };
    if let Some(p) = find() {
        return Ok(p);
    }
    let fetch = root().join("target/wasm-split-fetch");
    std::fs::create_dir_all(fetch.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(
        fetch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-wasm-split\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             [workspace]\n[dependencies]\nwasm_split_cli_support = \"={}\"\n",
            crate::spa::WASM_SPLIT_VERSION
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(fetch.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
    run(cmd("cargo")
        .arg("fetch")
        .arg("--manifest-path")
        .arg(fetch.join("Cargo.toml")))?;
    find().ok_or_else(|| format!("{name} not in the cargo registry after fetching"))
}

/// Reads a first split in `dir` (`__wasm_split.js` and the chunk files): each shared
/// chunk's groups and its bytes of code and data.
pub fn probe(dir: &Path) -> Res<Vec<(BTreeSet<String>, usize)>> {
    let js = std::fs::read_to_string(dir.join("__wasm_split.js")).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut pending: Option<BTreeSet<String>> = None;
    for line in js.lines() {
        if let Some(groups) = line.strip_prefix("/* ").and_then(|l| l.strip_suffix(" */")) {
            pending = Some(groups.split(", ").map(str::to_string).collect());
            continue;
        }
        let Some(a) = line.find("new URL(\"./") else {
            continue;
        };
        // The fetcher of the chunk the comment names (it sits a line or two below it).
        let Some(groups) = pending.take() else {
            continue;
        };
        let rest = &line[a + "new URL(\"./".len()..];
        let file = &rest[..rest.find('"').ok_or("__wasm_split.js: unterminated URL")?];
        let wasm = std::fs::read(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
        out.push((groups, code_and_data(&wasm)?));
    }
    Ok(out)
}

/// Sizes of the code and data sections (the name section of an unoptimized file would
/// otherwise dominate).
fn code_and_data(wasm: &[u8]) -> Res<usize> {
    let mut i = 8;
    let mut n = 0;
    while i < wasm.len() {
        let id = wasm[i];
        i += 1;
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let c = *wasm.get(i).ok_or("wasm: truncated")?;
            i += 1;
            len |= ((c & 0x7f) as usize) << shift;
            shift += 7;
            if c & 0x80 == 0 {
                break;
            }
        }
        if id == 10 || id == 11 {
            n += len;
        }
        i += len;
    }
    Ok(n)
}

/// Groups that load a (merged) chunk, and the original chunks in it with their bytes.
type Merged = (BTreeSet<String>, Vec<(BTreeSet<String>, usize)>);

/// The `WASM_SPLIT_MERGE` value for the chunks of a first split (see the module comment).
/// `routes`: the groups a route loads (every route loads one of them); code they all need
/// goes to the main module even if a group that is not a route's (the bell) does not need it.
pub fn plan(routes: &BTreeSet<String>, chunks: &[(BTreeSet<String>, usize)]) -> String {
    let mut entries = Vec::new();
    let mut merged: Vec<Merged> = Vec::new();
    for (set, bytes) in chunks {
        if set.is_superset(routes) {
            entries.push(format!("{}>main", join(set)));
        } else {
            merged.push((set.clone(), vec![(set.clone(), *bytes)]));
        }
    }
    let waste = |label: &BTreeSet<String>, parts: &[(BTreeSet<String>, usize)]| -> usize {
        label
            .iter()
            .map(|g| {
                parts
                    .iter()
                    .filter(|(s, _)| !s.contains(g))
                    .map(|(_, b)| b)
                    .sum::<usize>()
                    * weight(g, routes)
            })
            .sum()
    };
    loop {
        // The cheapest merge per download saved: (waste per saved, i, j).
        let mut best: Option<(usize, usize, usize)> = None;
        for i in 0..merged.len() {
            for j in i + 1..merged.len() {
                let saved = merged[i].0.intersection(&merged[j].0).count();
                if saved == 0 {
                    continue;
                }
                let label: BTreeSet<String> = merged[i].0.union(&merged[j].0).cloned().collect();
                let parts: Vec<_> = merged[i].1.iter().chain(&merged[j].1).cloned().collect();
                let added = waste(&label, &parts)
                    - waste(&merged[i].0, &merged[i].1)
                    - waste(&merged[j].0, &merged[j].1);
                let cost = added / saved;
                if best.is_none_or(|(c, _, _)| cost < c) {
                    best = Some((cost, i, j));
                }
            }
        }
        match best {
            Some((cost, i, j)) if cost <= max_waste() => {
                let (lj, pj) = merged.remove(j);
                let (li, pi) = &mut merged[i];
                li.extend(lj);
                pi.extend(pj);
            }
            _ => break,
        }
    }
    for (label, parts) in &merged {
        // A merge that every route's group loads is code every route downloads: it goes to
        // the main module too (the same bytes, one file fewer for every route).
        let to_main = label.is_superset(routes);
        for (set, _) in parts {
            if to_main {
                entries.push(format!("{}>main", join(set)));
            } else if set != label {
                entries.push(format!("{}>{}", join(set), join(label)));
            }
        }
    }
    entries.join(";")
}

fn join(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> BTreeSet<String> {
        x.chars().map(|c| c.to_string()).collect()
    }

    #[test]
    fn code_all_groups_share_goes_to_main_small_chunks_merge_big_ones_stay() {
        let groups = s("abcde");
        let chunks: Vec<_> = [
            ("abcde", 50_000),
            ("ab", 1_000),
            ("abc", 2_000),
            ("cd", 80_000),
            ("de", 90_000),
            ("ae", 500),
        ]
        .iter()
        .map(|(g, b)| (s(g), *b))
        .collect();
        let spec = plan(&groups, &chunks);
        // A group that is no route's ("f") does not keep code every route needs out of main.
        let with_f: Vec<_> = chunks
            .iter()
            .map(|(g, b)| (if g == &groups { s("abcdef") } else { g.clone() }, *b))
            .chain([(s("ef"), 3_000)])
            .collect();
        let spec_f = plan(&groups, &with_f);
        assert!(
            spec_f.split(';').any(|e| e == "a,b,c,d,e,f>main"),
            "{spec_f}"
        );
        assert!(
            !spec_f.split(';').any(|e| e.starts_with("e,f>main")),
            "{spec_f}"
        );
        let entries: BTreeSet<&str> = spec.split(';').collect();
        assert!(entries.contains("a,b,c,d,e>main"), "{spec}");
        // 1 KB shared by a and b joins the 2 KB shared by a, b and c: c downloads 1 KB it does
        // not need, and a and b one file fewer.
        let to = |from: &str| -> String {
            entries
                .iter()
                .find_map(|e| e.strip_prefix(&format!("{from}>")))
                .unwrap_or(from)
                .to_string()
        };
        assert_eq!(to("a,b"), to("a,b,c"), "{spec}");
        // Small chunks that together reach every group are downloaded by every route: main.
        let spread: Vec<_> = [("abc", 900), ("cde", 800)]
            .iter()
            .map(|(g, b)| (s(g), *b))
            .collect();
        let entries_spread: BTreeSet<String> = plan(&groups, &spread)
            .split(';')
            .map(str::to_string)
            .collect();
        assert!(entries_spread.contains("a,b,c>main"), "{entries_spread:?}");
        assert!(entries_spread.contains("c,d,e>main"), "{entries_spread:?}");
        // Merging the big ones would make groups download tens of KB they do not need.
        assert!(
            !entries
                .iter()
                .any(|e| e.starts_with("c,d>") || e.starts_with("d,e>")),
            "{spec}"
        );
        // Every move is to a superset of the groups that need the code.
        for e in &entries {
            let (from, to) = e.split_once('>').unwrap();
            if to != "main" {
                let to: BTreeSet<&str> = to.split(',').collect();
                assert!(from.split(',').all(|g| to.contains(g)), "{spec}");
            }
        }
    }
}
