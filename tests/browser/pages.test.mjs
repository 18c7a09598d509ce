// Opens every page mspod generated in headless Chromium, as a listener would,
// and checks what a unit test cannot: layout at phone and desktop widths in
// light and dark mode, accessibility (axe-core, WCAG 2.2 AA), the help line in
// a phone's first screen, the player, navigation, and privacy (no request
// leaves the machine before a click).
//
// Usage: node pages.test.mjs --feeds DIR --media-base URL --media-dir DIR [--screenshots DIR]
//   --feeds       the published folder (served from a loopback server)
//   --media-base  the show's media_base_url: requests under it are answered
//                 from --media-dir (the show's own media host, in production)
//   --screenshots write small PNGs of the show page and one episode page
// Exit code: 0 when every check passes, 1 otherwise.

import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith("--")) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
for (const required of ["feeds", "media-base", "media-dir"]) {
  if (!args[required]) {
    console.error(`missing --${required}`);
    process.exit(2);
  }
}
const FEEDS = path.resolve(args.feeds);
const MEDIA_DIR = path.resolve(args["media-dir"]);
const MEDIA_BASE = args["media-base"].endsWith("/") ? args["media-base"] : args["media-base"] + "/";
const SHOTS = args.screenshots ? path.resolve(args.screenshots) : null;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".xml": "application/rss+xml",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".jpg": "image/jpeg",
  ".png": "image/png",
};

/** A file's response, honouring a single byte range (players seek with them). */
function fileResponse(file, range) {
  const body = fs.readFileSync(file);
  const type = TYPES[path.extname(file)] || "application/octet-stream";
  const headers = { "content-type": type, "accept-ranges": "bytes" };
  const m = range && /^bytes=(\d*)-(\d*)$/.exec(range);
  if (m) {
    const start = m[1] === "" ? Math.max(0, body.length - Number(m[2])) : Number(m[1]);
    const end = m[1] !== "" && m[2] !== "" ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    headers["content-range"] = `bytes ${start}-${end}/${body.length}`;
    return { status: 206, headers, body: body.subarray(start, end + 1) };
  }
  return { status: 200, headers, body };
}

/** The file under `root` for a URL path, or null (never outside `root`). */
function under(root, urlPath) {
  const file = path.normalize(path.join(root, decodeURIComponent(urlPath)));
  if (!file.startsWith(root)) return null;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return path.join(file, "index.html");
  return fs.existsSync(file) ? file : null;
}

const server = http.createServer((req, res) => {
  const file = under(FEEDS, new URL(req.url, "http://x").pathname);
  if (!file) {
    res.writeHead(404).end("not found");
    return;
  }
  const r = fileResponse(file, req.headers.range);
  res.writeHead(r.status, r.headers).end(r.body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

const failures = [];
const pages = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith(".")) walk(p);
    else if (e.name.endsWith(".html")) pages.push(path.relative(FEEDS, p).split(path.sep).join("/"));
  }
})(FEEDS);

if (!pages.includes("index.html")) failures.push("index.html: the show page is missing");

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mspod-browser-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
  ],
});

const fail = (where, what) => failures.push(`${where}: ${what}`);

// Privacy: loopback is served, the show's media host is answered from disk,
// anything else is refused and, before a click, is a failure.
let clicked = false;
let offsite = [];
await context.route("**/*", async (route) => {
  const url = route.request().url();
  if (url.startsWith(ORIGIN + "/") || url.startsWith("data:")) return route.continue();
  if (url.startsWith(MEDIA_BASE)) {
    const file = under(MEDIA_DIR, new URL(url).pathname.slice(new URL(MEDIA_BASE).pathname.length - 1));
    if (!file) return route.fulfill({ status: 404, body: "" });
    const r = fileResponse(file, route.request().headers()["range"]);
    return route.fulfill({ status: r.status, headers: r.headers, body: r.body });
  }
  if (!clicked) offsite.push(url);
  return route.abort();
});

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];
const page = await context.newPage();
// A missing element fails its check quickly instead of hanging the run.
page.setDefaultTimeout(5000);

async function open(rel, viewport, scheme) {
  clicked = false;
  offsite = [];
  await page.setViewportSize({ width: viewport.width, height: viewport.height });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${ORIGIN}/${rel}`, { waitUntil: "load" });
}

/** Elements sticking out of the viewport (what makes a phone scroll sideways). */
async function tooWide() {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).visibility === "hidden") continue;
      if (r.right > w + 0.5 || r.left < -0.5) {
        if (el.closest(".skip")) continue; // parked off-screen until focused
        out.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} (${Math.round(r.left)}–${Math.round(r.right)} px)`);
      }
    }
    if (document.documentElement.scrollWidth > w) out.unshift(`page is ${document.documentElement.scrollWidth} px wide`);
    return out.slice(0, 5);
  });
}

async function axe() {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  });
}

let checks = 0;
const started = Date.now();
for (const rel of pages) {
  try {
    await checkPage(rel);
  } catch (e) {
    fail(rel, String(e.message || e).split("\n")[0]);
  }
}

async function checkPage(rel) {
  const isIndex = !rel.includes("/");
  for (const viewport of VIEWPORTS) {
    for (const scheme of ["light", "dark"]) {
      const where = `${rel} @${viewport.width} ${scheme}`;
      await open(rel, viewport, scheme);
      for (const w of await tooWide()) fail(where, `wider than the viewport: ${w}`);
      for (const v of await axe()) fail(where, `axe: ${v}`);
      const help = await page.$(".helpline");
      if (viewport.name === "phone" && help) {
        const box = await help.boundingBox();
        if (!box || box.y + box.height > viewport.height) fail(where, "the help line is below the first screen");
      }
      if (offsite.length) fail(where, `requests left the machine before a click: ${offsite.join(", ")}`);
      checks += 4;
    }
  }

  // Behaviour, once per page (desktop, light).
  await open(rel, VIEWPORTS[1], "light");
  const where = rel;
  if (isIndex) {
    const subscribe = await page.$$eval(".subscribe a", (as) => as.map((a) => a.href));
    // [show.links] are optional; the RSS feed is always offered.
    if (!subscribe.some((h) => /\.xml$/.test(h))) fail(where, `no RSS link among the subscribe links ${subscribe}`);
    if (!(await page.isVisible("button.copy"))) fail(where, "no visible copy button for the feed URL");
    const episodes = await page.$$eval(".episodes li a", (as) => as.map((a) => a.getAttribute("href")));
    if (episodes.length === 0) fail(where, "no episodes listed");
    for (const href of episodes) {
      const ok = await page.evaluate(async (h) => (await fetch(h)).ok, href);
      if (!ok) fail(where, `episode link ${href} is broken`);
    }
    checks += 3;
    return;
  }
  const nav = await page.$$eval(".pager a", (as) => as.map((a) => a.className));
  if (!nav.includes("home")) fail(where, "no link back to the show page");
  const episodeCount = pages.filter((p) => p.includes("/")).length;
  if (episodeCount > 1 && !nav.includes("prev") && !nav.includes("next")) fail(where, "no previous/next episode link");
  for (const href of await page.$$eval(".pager a", (as) => as.map((a) => a.href))) {
    const ok = await page.evaluate(async (h) => (await fetch(h)).ok, href);
    if (!ok) fail(where, `pager link ${href} is broken`);
  }
  // The known duration shows before anything loads.
  const time = await page.$eval("#player-ui .time", (e) => e.textContent).catch(() => null);
  if (!time || / \/ 0:00$/.test(time.trim())) fail(where, `the player shows no duration before play: "${time}"`);
  const chapters = await page.$$("a.t[data-start]");
  if (chapters.length > 1) {
    const start = Number(await chapters[1].getAttribute("data-start"));
    await chapters[1].click();
    const at = await page
      .waitForFunction(
        (s) => {
          const a = document.getElementById("player");
          return a.readyState >= 1 && Math.abs(a.currentTime - s) < 1.5 ? a.currentTime : false;
        },
        start,
        { timeout: 5000 },
      )
      .then((h) => h.jsonValue())
      .catch(() => null);
    if (at === null) fail(where, `clicking the chapter at ${start} s did not seek the player there`);
    const current = await page.$eval(".chapters li[aria-current]", (li) => li.dataset.start).catch(() => null);
    if (Number(current) !== start) fail(where, `the chapter at ${start} s is not highlighted (got ${current})`);
    // Keyboard: the skip buttons are reachable and work.
    await page.focus("button[data-skip='30']");
    const before = await page.evaluate(() => document.getElementById("player").currentTime);
    await page.keyboard.press("Enter");
    const after = await page.evaluate(() => document.getElementById("player").currentTime);
    if (!(after > before + 20)) fail(where, `+30 s from the keyboard moved ${before} → ${after}`);
    checks += 3;
  }
  const video = await page.$(".video a[data-embed]");
  if (video) {
    clicked = true;
    await video.click();
    const frame = await page.$(".video iframe");
    if (!frame) fail(where, "clicking the video placeholder loaded no player");
    else {
      const inLink = await frame.evaluate((f) => f.closest("a") !== null);
      if (inLink) fail(where, "the video iframe is inside a link");
      const src = await frame.getAttribute("src");
      if (!src.startsWith("https://www.youtube-nocookie.com/embed/")) fail(where, `video loads from ${src}`);
      const paused = await page.evaluate(() => document.getElementById("player").paused);
      if (!paused) fail(where, "the audio kept playing when the video started");
    }
    checks += 2;
  }
  checks += 3;
}

if (SHOTS) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const episode = pages.find((p) => p.includes("relationship-as-medicine")) || pages.find((p) => p.includes("/"));
  const shots = [
    ["show-page-phone.png", "index.html", VIEWPORTS[0], "light"],
    ["show-page-desktop-dark.png", "index.html", VIEWPORTS[1], "dark"],
    ["episode-page-phone.png", episode, VIEWPORTS[0], "light"],
    ["episode-page-desktop-dark.png", episode, VIEWPORTS[1], "dark"],
  ];
  for (const [name, rel, viewport, scheme] of shots) {
    await open(rel, viewport, scheme);
    await page.screenshot({ path: path.join(SHOTS, name) });
  }
}

await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.error(failures.map((f) => `FAIL ${f}`).join("\n"));
  console.error(`browser test: ${failures.length} failure(s) on ${pages.length} pages (${seconds} s)`);
  process.exit(1);
}
console.log(`browser test: ${pages.length} pages × 2 widths × light/dark, ${checks} checks passed (${seconds} s)`);
