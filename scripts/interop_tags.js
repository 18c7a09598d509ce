// Reads a feed with podcast-partytime (the Podcast Index's parser) and prints, as JSON,
// what it understood of the Podcasting 2.0 tags mspod writes (issue 12):
// scripts/interop_tags_check.py compares that with the feed itself.
// Usage: NODE_PATH=<node_modules with podcast-partytime> node scripts/interop_tags.js FEED
"use strict";
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");
const feed = parseFeed(fs.readFileSync(process.argv[2], "utf8"));
if (!feed) {
  console.error("partytime could not parse the feed");
  process.exit(1);
}
const people = (list) =>
  (list || []).map((p) => ({ name: p.name, role: (p.role || "").toLowerCase(), href: p.href ?? null }));
console.log(JSON.stringify({
  locked: feed.locked ?? null,
  medium: feed.medium ?? null,
  people: people(feed.podcastPeople),
  location: feed.podcastLocation ?? null,
  license: feed.license ? feed.license.identifier : null,
  txt: (feed.podcastTxt || []).map((t) => t.value),
  trailers: (feed.trailers || []).map((t) => ({ title: t.title, url: t.url, length: t.length, season: t.season ?? null })),
  items: (feed.items || []).map((it) => ({
    guid: it.guid,
    image: it.itunesImage ?? null,
    people: people(it.podcastPeople),
    season: it.podcastSeason ? it.podcastSeason.number : null,
    episode: it.podcastEpisode ? it.podcastEpisode.number : null,
    location: it.podcastLocation ? it.podcastLocation.name : null,
    soundbites: (it.podcastSoundbites || []).map((s) => ({ start: s.startTime, duration: s.duration, title: s.title })),
    video: (it.alternativeEnclosures || []).map((a) => ({
      type: a.type, length: a.length ?? null, bitrate: a.bitrate ?? null, height: a.height ?? null,
      uri: (a.source || [])[0] ? a.source[0].uri : null,
      integrity: a.integrity ? a.integrity.value : null,
    })),
  })),
}, null, 1));
