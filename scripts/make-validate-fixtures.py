#!/usr/bin/env python3
"""Writes tests/fixtures/validate/<case>.xml: one small feed per rule, each made from the
valid feed tests/fixtures/validate/valid-mspod.xml with one defect, and line 2 saying which
rule ids `mspod validate` must report (exactly that set):  <!-- expect: rule/a rule/b -->

The expectations are written by hand from the specifications the rules cite, never from
mspod's output. Run from the repository root:  python3 scripts/make-validate-fixtures.py
Hostile inputs (billion laughs, deep nesting, a 1 MB attribute…) are built by the tests."""
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "validate")
BASE = open(os.path.join(ROOT, "valid-mspod.xml"), encoding="utf-8").read()
ITEM2 = BASE.index("<item>", BASE.index("</item>"))


def sub(old, new, count=1, text=None, after=0):
    """Replace `old` (must exist) after offset `after`."""
    t = BASE if text is None else text
    i = t.index(old, after)
    return t[:i] + new + t[i + len(old):] if count == 1 else t.replace(old, new)


def item2(old, new, text=None):
    return sub(old, new, text=text, after=ITEM2)


def add_channel(xml, text=None):
    return sub("    <item>", xml + "\n    <item>", text=text)


def add_item2(xml, text=None):
    return item2("    </item>", "  " + xml + "\n    </item>", text=text)


def without(old, text=None):
    return sub(old, "", text=text)


LONG = "x" * 300
SPOTIFY = sub('xmlns:atom="http://www.w3.org/2005/Atom"',
              'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:spotify="http://www.spotify.com/ns/rss"')

CASES = {
    # XML layer
    "xml-well-formed-truncated": (["xml/well-formed"], BASE[: BASE.index("  </channel>")]),
    "xml-well-formed-mismatch": (["xml/well-formed"], sub("</itunes:author>", "</itunes:autor>")),
    "xml-well-formed-decl-not-first": (["xml/well-formed"], "\n" + BASE),
    "xml-well-formed-cdata-end": (["xml/well-formed"], item2("<title>Hello, world</title>", "<title>Hello ]]> world</title>")),
    "xml-invalid-char": (["xml/invalid-char"], sub("Fish &amp; Chips Weekly", "Fish \x0b Chips Weekly")),
    "xml-c1-char": (["xml/c1-char"], sub("audio and the people", "audio\u0085 and the people")),
    "xml-encoding-declared": (["xml/encoding"], sub('encoding="UTF-8"', 'encoding="ISO-8859-1"')),
    "xml-entity": (["xml/entity"], sub("Fish &amp; Chips", "Fish&nbsp;Chips")),
    "xml-doctype": (["xml/doctype"], sub("<rss ", "<!DOCTYPE rss>\n<rss ")),
    "xml-undeclared-prefix": (["xml/undeclared-prefix"], add_channel("    <googleplay:author>Example Media</googleplay:author>")),
    "xml-edge-space": (["xml/edge-space"], sub("<itunes:episodeType>full</itunes:episodeType>", "<itunes:episodeType> full </itunes:episodeType>")),
    "xml-empty-value": (["xml/empty-value"], sub("<itunes:author>Example Media</itunes:author>", "<itunes:author>Example Media</itunes:author>\n    <itunes:title></itunes:title>")),
    # RSS 2.0
    "rss-root": (["rss/root"], sub('version="2.0"', 'version="0.91"')),
    "rss-channel-title": (["rss/channel-title"], without("    <title>Fish &amp; Chips Weekly</title>\n")),
    "rss-channel-link": (["rss/channel-link"], sub("<link>https://example.com/</link>", "<link>/about</link>")),
    "rss-channel-description": (["rss/channel-description"], without("    <description>A show about feeds, audio and the people who make them.</description>\n")),
    "rss-language": (["rss/language"], sub("<language>en</language>", "<language>english</language>")),
    "rss-date": (["rss/date"], sub("Tue, 25 Nov 2025 10:00:00 +0000", "2025-11-25T10:00:00Z")),
    "rss-date-weekday": (["rss/date-weekday"], sub("Tue, 25 Nov 2025", "Mon, 25 Nov 2025")),
    "rss-date-form": (["rss/date-form"], sub("Tue, 25 Nov 2025 10:00:00 +0000", "Tue, 25 Nov 2025 10:00:00 EST")),
    "rss-date-form-two-digit-year": (["rss/date-form"], sub("Tue, 25 Nov 2025 10:00:00 +0000", "Tue, 25 Nov 25 10:00:00 +0000")),
    "rss-date-plausible": (["rss/date-plausible"], sub("Tue, 25 Nov 2025 10:00:00 +0000", "Thu, 01 Jan 1970 00:00:00 +0000")),
    "rss-ttl": (["rss/ttl"], add_channel("    <ttl>hourly</ttl>")),
    "rss-image": (["rss/image"], add_channel("    <image><url>https://example.com/logo.png</url></image>")),
    "rss-atom-self": (["rss/atom-self"], without('    <atom:link href="https://feeds.example.com/mspod/feed.xml" rel="self" type="application/rss+xml"/>\n')),
    "rss-email": (["rss/email"], add_channel("    <managingEditor>jane@example.com</managingEditor>")),
    "rss-item-title-or-description": (["rss/item-title-or-description", "apple/item-title"],
        item2("<title>Hello, world</title>", "", text=item2("<description><![CDATA[<p>The first episode.</p>]]></description>", "",
        text=item2("<content:encoded><![CDATA[<p>The first episode, in full.</p>]]></content:encoded>", "",
        text=item2("<itunes:title>Hello, world</itunes:title>", ""))))),
    "rss-duplicate-element": (["rss/duplicate-element"], item2("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>false</itunes:explicit>\n      <itunes:explicit>true</itunes:explicit>")),
    "rss-duplicate-element-same": (["rss/duplicate-element-same"], item2("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>false</itunes:explicit>\n      <itunes:explicit>false</itunes:explicit>")),
    "rss-link-url": (["rss/link-url"], item2("<link>https://example.com/episodes/hello-world</link>", "<link>episodes/hello-world</link>")),
    "rss-enclosure-attributes": (["rss/enclosure-attributes"], sub(' length="2048000"', "")),
    "rss-enclosure-url": (["rss/enclosure-url"], sub('url="https://cdn.example.com/hello-world/audio.mp3"', 'url="hello-world/audio.mp3"')),
    "rss-enclosure-length": (["rss/enclosure-length"], sub('length="2048000"', 'length="2 MB"')),
    "rss-enclosure-length-zero": (["rss/enclosure-length-zero"], sub('length="2048000"', 'length="0"')),
    "rss-enclosure-type": (["rss/enclosure-type"], sub('length="2048000" type="audio/mpeg"', 'length="2048000" type="mpeg"')),
    "rss-enclosure-type-extension": (["rss/enclosure-type-extension"], sub('length="2048000" type="audio/mpeg"', 'length="2048000" type="video/mp4"')),
    "rss-enclosure-single": (["rss/enclosure-single"], add_item2('<enclosure url="https://cdn.example.com/hello-world/audio.m4a" length="1900000" type="audio/x-m4a"/>')),
    "rss-item-no-enclosure": (["rss/item-no-enclosure"], add_channel('    <item>\n      <title>Announcement</title>\n      <guid isPermaLink="false">note-1</guid>\n    </item>').replace("    <item>\n      <title>Announcement", "    <item>\n      <title>Announcement", 1)),
    "rss-guid-missing": (["rss/item-no-enclosure", "rss/guid-missing"], add_channel("    <item>\n      <title>Announcement</title>\n    </item>")),
    "rss-guid-ispermalink": (["rss/guid-ispermalink"], sub('isPermaLink="false"', 'isPermaLink="no"')),
    "rss-guid-permalink-url": (["rss/guid-permalink-url"], sub('<guid isPermaLink="false">', "<guid>")),
    "rss-guid-permalink-url-tag": (["rss/guid-permalink-url"], item2('<guid isPermaLink="false">7c4f0d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f</guid>', "<guid>tag:example.com,2025:hello-world</guid>")),
    "rss-guid-ispermalink-case": (["rss/guid-ispermalink", "rss/guid-permalink-url"], item2('isPermaLink="false"', 'ispermalink="false"')),
    "rss-guid-unique": (["rss/guid-unique"], item2("7c4f0d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "2b0e5a3e-6d0a-4b44-9c1e-0d5d6b7f9a10")),
    "rss-guid-numeric": (["rss/guid-numeric"], item2("7c4f0d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "123456789012345678901234")),
    "rss-guid-length": (["rss/guid-length"], item2("7c4f0d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "g" * 800)),
    "rss-html-in-text": (["rss/html-in-text"], item2("<title>Hello, world</title>", "<title>&lt;b&gt;Hello&lt;/b&gt;, world</title>")),
    "rss-relative-url-in-html": (["rss/relative-url-in-html"], sub('href="https://example.com/notes"', 'href="/notes"')),
    "rss-html-unsafe": (["rss/html-unsafe"], sub("<p>Full notes.</p>", "<p>Full notes.</p><script>alert(1)</script>")),
    "rss-double-escaped": (["rss/double-escaped"], item2("<description><![CDATA[<p>The first episode.</p>]]></description>", "<description>&amp;lt;p&amp;gt;The first episode.&amp;lt;/p&amp;gt;</description>")),
    "rss-double-escaped-title": (["rss/double-escaped"], item2("<title>Hello, world</title>", "<title>Caf&amp;eacute; time</title>")),
    "rss-content-without-description": (["rss/content-without-description"], item2("<description><![CDATA[<p>The first episode.</p>]]></description>", "")),
    "rss-content-namespace": (["rss/content-namespace"], sub('xmlns:content="http://purl.org/rss/1.0/modules/content/"', 'xmlns:content="http://purl.org/rss/1.0/modules/content"')),
    # Apple
    "apple-namespace": (["apple/namespace", "apple/image", "apple/category", "apple/explicit", "apple/author", "apple/owner", "apple/duration"],
        sub('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"', 'xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"')),
    "apple-at-least-one-item": (["apple/at-least-one-item"], BASE[: BASE.index("    <item>")] + BASE[BASE.rindex("</item>") + len("</item>\n"):]),
    "apple-language": (["apple/language"], without("    <language>en</language>\n")),
    "apple-description-length": (["apple/description-length"], sub("A show about feeds, audio and the people who make them.", "é" * 2050)),
    "apple-item-description-length": (["apple/item-description-length"], item2("<p>The first episode.</p>", "<p>" + "é" * 2050 + "</p>")),
    "apple-description-html": (["apple/description-html"], item2("<p>The first episode.</p>", "<p>The <b>first</b> episode.</p>")),
    "apple-image": (["apple/image"], without('    <itunes:image href="https://example.com/cover.jpg"/>\n')),
    "apple-image-extension": (["apple/image-extension"], sub("https://example.com/cover.jpg", "https://example.com/cover.webp")),
    "apple-category": (["apple/category"], re.sub(r"    <itunes:category text=\"Technology\"/>\n    <itunes:category.*?</itunes:category>\n", "", BASE, flags=re.S)),
    "apple-category-name": (["apple/category-name"], sub('<itunes:category text="Technology"/>', '<itunes:category text="technology"/>')),
    "apple-category-obsolete": (["apple/category-obsolete"], sub('<itunes:category text="Technology"/>', '<itunes:category text="Games &amp; Hobbies"/>')),
    "apple-category-obsolete-sub": (["apple/category-obsolete"], sub('<itunes:category text="Documentary"/>', '<itunes:category text="History"/>')),
    "apple-explicit": (["apple/explicit"], without("    <itunes:explicit>false</itunes:explicit>\n")),
    "apple-explicit-value": (["apple/explicit-value"], sub("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>maybe</itunes:explicit>")),
    "apple-explicit-legacy": (["apple/explicit-legacy"], sub("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>no</itunes:explicit>")),
    "apple-author": (["apple/author"], without("    <itunes:author>Example Media</itunes:author>\n")),
    "apple-owner": (["apple/owner"], without("      <itunes:email>jane@example.com</itunes:email>\n")),
    "apple-type": (["apple/type"], sub("<itunes:type>episodic</itunes:type>", "<itunes:type>Episodic</itunes:type>")),
    "apple-serial-episode-number": (["apple/serial-episode-number"], item2("<itunes:episode>1</itunes:episode>", "", text=sub("<itunes:type>episodic</itunes:type>", "<itunes:type>serial</itunes:type>"))),
    "apple-new-feed-url": (["apple/new-feed-url"], add_channel("    <itunes:new-feed-url>feed.xml</itunes:new-feed-url>")),
    "apple-block": (["apple/block"], add_channel("    <itunes:block>maybe</itunes:block>")),
    "apple-complete": (["apple/complete"], add_channel("    <itunes:complete>done</itunes:complete>")),
    "apple-length-255": (["apple/length-255"], sub("<itunes:author>Example Media</itunes:author>", "<itunes:author>" + LONG + "</itunes:author>")),
    "apple-deprecated": (["apple/deprecated"], add_channel("    <itunes:summary>A show about feeds.</itunes:summary>")),
    "apple-item-title": (["apple/item-title"], item2("<title>Hello, world</title>", "")),
    "apple-enclosure-format": (["apple/enclosure-format"], sub('url="https://cdn.example.com/hello-world/audio.mp3" length="2048000" type="audio/mpeg"', 'url="https://cdn.example.com/hello-world/audio.ogg" length="2048000" type="audio/ogg"')),
    "apple-enclosure-type-alias": (["apple/enclosure-type-alias"], sub('length="2048000" type="audio/mpeg"', 'length="2048000" type="audio/mp3"')),
    "apple-enclosure-unique-url": (["apple/enclosure-unique-url"], sub("https://cdn.example.com/hello-world/audio.mp3", "https://cdn.example.com/validating-feeds/audio.mp3")),
    "apple-enclosure-ascii": (["apple/enclosure-ascii"], sub("https://cdn.example.com/hello-world/audio.mp3", "https://cdn.example.com/hello-world/épisode.mp3")),
    "apple-guid": (["apple/guid"], item2('<guid isPermaLink="false">7c4f0d1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f</guid>', "")),
    "apple-pubdate": (["apple/pubdate"], item2("<pubDate>Wed, 05 Nov 2025 09:30:00 +0000</pubDate>", "")),
    "apple-duration": (["apple/duration"], item2("<itunes:duration>128</itunes:duration>", "<itunes:duration>two minutes</itunes:duration>")),
    "apple-duration-ambiguous": (["apple/duration-ambiguous"], item2("<itunes:duration>128</itunes:duration>", "<itunes:duration>02:08</itunes:duration>")),
    "apple-duration-in-channel": (["apple/duration-in-channel"], add_channel("    <itunes:duration>128</itunes:duration>")),
    "apple-episode": (["apple/episode"], item2("<itunes:episode>1</itunes:episode>", "<itunes:episode>0</itunes:episode>")),
    "apple-season": (["apple/season"], item2("<itunes:season>1</itunes:season>", "<itunes:season>one</itunes:season>")),
    "apple-episode-type": (["apple/episode-type"], item2("<itunes:episodeType>full</itunes:episodeType>", "<itunes:episodeType>Full</itunes:episodeType>")),
    "apple-item-image": (["apple/item-image"], add_item2('<itunes:image href="cover.jpg"/>')),
    # Spotify
    "spotify-namespace": (["spotify/namespace"], sub('xmlns:atom="http://www.w3.org/2005/Atom"', 'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:spotify="http://www.spotify.com/ns/rss/"')),
    "spotify-limit": (["spotify/limit"], add_channel('    <spotify:limit recentCount="all"/>', text=SPOTIFY)),
    "spotify-country-of-origin": (["spotify/country-of-origin"], add_channel("    <spotify:countryOfOrigin>USA</spotify:countryOfOrigin>", text=SPOTIFY)),
    # Podcasting 2.0
    "podcast-namespace": (["podcast/namespace"], sub('xmlns:podcast="https://podcastindex.org/namespace/1.0"', 'xmlns:podcast="https://podcastindex.org/namespace/1.0/"')),
    "podcast-unknown-element": (["podcast/unknown-element"], add_item2('<podcast:transcripts url="https://example.com/t.vtt" type="text/vtt"/>')),
    "podcast-https": (["podcast/https"], sub("https://example.com/validating-feeds/chapters.json", "http://example.com/validating-feeds/chapters.json")),
    "podcast-count": (["podcast/count"], add_channel("    <podcast:locked>yes</podcast:locked>")),
    "podcast-required-attribute": (["podcast/required-attribute"], sub('<podcast:chapters url="https://example.com/validating-feeds/chapters.json" type', "<podcast:chapters type")),
    "podcast-guid": (["podcast/guid"], sub("f553a724-6adf-5f34-aa8f-4a871d55211a", "f553a724-6adf-4f34-aa8f-4a871d55211a")),
    "podcast-guid-derivation": (["podcast/guid-derivation"], sub("f553a724-6adf-5f34-aa8f-4a871d55211a", "9b024349-ccf0-5f69-a609-6b82873eab3c")),
    "podcast-locked": (["podcast/locked"], sub("<podcast:locked>yes</podcast:locked>", "<podcast:locked>true</podcast:locked>")),
    "podcast-funding": (["podcast/funding"], add_channel('    <podcast:funding url="https://example.com/support">' + "y" * 130 + "</podcast:funding>")),
    "podcast-transcript": (["podcast/transcript"], add_item2('<podcast:transcript url="https://example.com/t.md" type="text/markdown"/>')),
    "podcast-transcript-duplicate": (["podcast/transcript-duplicate"], add_item2('<podcast:transcript url="https://example.com/a.vtt" type="text/vtt" language="en"/><podcast:transcript url="https://example.com/b.vtt" type="text/vtt" language="en"/>')),
    "podcast-chapters": (["podcast/chapters"], sub('type="application/json+chapters"', 'type="application/json"')),
    "podcast-soundbite": (["podcast/soundbite"], add_item2('<podcast:soundbite startTime="1:20" duration="60">Best bit</podcast:soundbite>')),
    "podcast-soundbite-past-end": (["podcast/soundbite"], add_item2('<podcast:soundbite startTime="100" duration="60">Past the end</podcast:soundbite>')),
    "podcast-person": (["podcast/person"], add_item2('<podcast:person role="dj">Jane Doe</podcast:person>')),
    "podcast-location": (["podcast/location"], add_channel('    <podcast:location geo="52.52,13.405">Berlin</podcast:location>')),
    "podcast-season": (["podcast/season"], add_item2("<podcast:season>one</podcast:season>")),
    "podcast-episode": (["podcast/episode"], add_item2("<podcast:episode>two</podcast:episode>")),
    "podcast-trailer": (["podcast/trailer"], add_channel('    <podcast:trailer url="https://example.com/trailer.mp3" pubdate="2025-11-01">Trailer</podcast:trailer>')),
    "podcast-itunes-agree": (["podcast/itunes-agree"], add_item2("<podcast:episode>7</podcast:episode>")),
    "podcast-image-size": (["podcast/image"], add_channel('    <podcast:image href="https://example.com/c.jpg" width="wide" aspect-ratio="square" purpose="thumbnail"/>')),
    "podcast-integrity-sri-hex": (["podcast/integrity"], add_item2('<podcast:alternateEnclosure type="video/mp4" length="1200"><podcast:source uri="https://example.com/a.mp4"/><podcast:integrity type="sri" value="sha384-d752c2c51fba0e29aa190570a9d4253e44077a058d3297fa3a5630d5bd012622f97c28acaed313b5c83bb990caa7da85"/></podcast:alternateEnclosure>')),
    "podcast-update-frequency-rrule": (["podcast/update-frequency"], add_channel('    <podcast:updateFrequency rrule="WEEKLY">Weekly</podcast:updateFrequency>')),
    "podcast-block-id": (["podcast/block"], add_channel('    <podcast:block id="Apple Podcasts">yes</podcast:block>')),
    "podcast-publisher-medium": (["podcast/remote-item"], add_channel('    <podcast:publisher><podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" feedUrl="https://example.com/p.xml"/></podcast:publisher>')),
    "podcast-license": (["podcast/license"], add_channel("    <podcast:license>My Own License</podcast:license>")),
    "podcast-alternate-enclosure": (["podcast/alternate-enclosure"], add_item2('<podcast:alternateEnclosure type="audio/opus" length="12.5"/>')),
    "podcast-integrity": (["podcast/integrity"], add_item2('<podcast:alternateEnclosure type="audio/opus" length="1200"><podcast:source uri="https://example.com/a.opus"/><podcast:integrity type="md5" value="abc"/></podcast:alternateEnclosure>')),
    "podcast-value": (["podcast/value"], add_channel('    <podcast:value type="lightning" method="keysend"/>')),
    "podcast-medium": (["podcast/medium"], add_channel("    <podcast:medium>radio</podcast:medium>")),
    "podcast-live-item": (["podcast/live-item"], add_channel('    <podcast:liveItem status="soon" start="2025-11-30T10:00:00Z"><title>Live</title><podcast:contentLink href="https://example.com/live">Live</podcast:contentLink></podcast:liveItem>')),
    "podcast-content-link": (["podcast/content-link"], sub('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"', 'href="watch?v=dQw4w9WgXcQ"')),
    "podcast-social-interact": (["podcast/social-interact"], add_item2('<podcast:socialInteract protocol="facebook" uri="https://example.com/post/1"/>')),
    "podcast-block": (["podcast/block"], add_channel("    <podcast:block>true</podcast:block>")),
    "podcast-txt": (["podcast/txt"], add_channel('    <podcast:txt purpose="' + "p" * 130 + '">token</podcast:txt>')),
    "podcast-remote-item": (["podcast/remote-item"], add_channel("    <podcast:publisher></podcast:publisher>")),
    "podcast-podroll": (["podcast/podroll"], add_channel("    <podcast:podroll></podcast:podroll>")),
    "podcast-update-frequency": (["podcast/update-frequency"], add_channel('    <podcast:updateFrequency complete="yes">Weekly</podcast:updateFrequency>')),
    "podcast-chat": (["podcast/chat"], add_item2('<podcast:chat server="irc.example.com" protocol="slack"/>')),
    "podcast-image": (["podcast/image"], add_channel('    <podcast:image href="cover.jpg"/>')),
    "podcast-images-deprecated": (["podcast/images-deprecated"], add_channel('    <podcast:images srcset="https://example.com/cover.jpg 1500w"/>')),
    "psc-chapters": (["psc/chapters"], add_item2('<psc:chapters version="1.2"><psc:chapter start="0" title="Intro"/><psc:chapter start="ten" title="Later"/></psc:chapters>',
        text=sub('xmlns:atom="http://www.w3.org/2005/Atom"', 'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:psc="http://podlove.org/simple-chapters"'))),
}

# Passing variants: valid forms the rules must accept (exact expectations: nothing).
PASSING = {
    "valid-durations-and-dates": sub("<itunes:duration>128</itunes:duration>", "<itunes:duration>0:02:08</itunes:duration>",
        text=sub("Tue, 25 Nov 2025 10:00:00 +0000", "25 Nov 2025 10:00 GMT")),
    "valid-podcast-tags": add_item2(
        '<podcast:transcript url="https://example.com/t.vtt" type="text/vtt" rel="captions"/>\n'
        '      <podcast:person role="Guest" href="https://example.com/jane">Jane Doe</podcast:person>\n'
        '      <podcast:season name="Launch">1</podcast:season>\n'
        '      <podcast:episode display="Ep. 2">2</podcast:episode>\n'
        '      <podcast:soundbite startTime="73.5" duration="60">Best bit</podcast:soundbite>\n'
        '      <podcast:alternateEnclosure type="audio/opus" length="1200" bitrate="64000" default="false"><podcast:source uri="https://example.com/a.opus"/><podcast:integrity type="sri" value="sha384-2wZvmvubb5msOpukLR3+plPQembH0RAlYJZrN2lpZPvbzSKThQIIL0hLpAHs1xkO"/></podcast:alternateEnclosure>\n'
        '      <podcast:socialInteract protocol="activitypub" uri="https://example.social/@show/1" priority="1"/>',
        text=add_channel('    <podcast:funding url="https://example.com/support">Support the show</podcast:funding>\n'
        '    <podcast:location geo="geo:52.52,13.405" osm="R62422" country="de">Berlin</podcast:location>\n'
        '    <podcast:medium>podcast</podcast:medium>\n'
        '    <podcast:license>cc-by-4.0</podcast:license>\n'
        '    <podcast:value type="lightning" method="keysend" suggested="0.00000005"><podcast:valueRecipient type="node" address="02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52" split="99"/></podcast:value>\n'
        '    <podcast:trailer url="https://example.com/trailer.mp3" pubdate="Thu, 01 Apr 2021 08:00:00 GMT" length="12345" type="audio/mpeg">Trailer</podcast:trailer>\n'
        '    <podcast:podroll><podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810"/></podcast:podroll>\n'
        '    <podcast:updateFrequency rrule="FREQ=WEEKLY" complete="false">Weekly</podcast:updateFrequency>\n'
        '    <podcast:image href="https://example.com/cover.jpg" alt="Cover" width="1500"/>\n'
        '    <podcast:image href="https://example.com/wide.jpg" alt="Banner" aspect-ratio="16/9" width="1920" height="1080" type="image/jpeg" purpose="banner social"/>\n'
        '    <podcast:block id="spotify">yes</podcast:block>\n'
        '    <podcast:publisher><podcast:remoteItem medium="publisher" feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" feedUrl="https://example.com/publisher.xml"/></podcast:publisher>')),
    # licenses.json spells identifiers in upper case; both cases are identifiers.
    "valid-podcast-license-upper": add_channel("    <podcast:license>CC-BY-4.0</podcast:license>"),
    "valid-podcast-license-custom": add_channel('    <podcast:license url="https://example.com/license">My Own License</podcast:license>'),
    "valid-podcast-old-namespace-uri": sub('xmlns:podcast="https://podcastindex.org/namespace/1.0"', 'xmlns:podcast="https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"'),
    "valid-other-prefix": BASE.replace("itunes:", "it:").replace("xmlns:itunes=", "xmlns:it="),
    # False positives found by an attack pass: what looks like a handler or a tag is inside
    # an attribute value, or is text (escaped markup that shows as written).
    "valid-handler-inside-escaped-href": sub('<a href="https://example.com/notes">notes</a>',
        '<a href="https://example.com/search?q=&quot; onmouseover=&quot;alert(1)&quot; style=x">notes</a>'
        ' and <a title=\'a style=b\' href="https://example.com/x onclick=y">more</a>'),
    "valid-escaped-markup-as-text": item2("<description><![CDATA[<p>The first episode.</p>]]></description>",
        "<description><![CDATA[<p>The first episode: write &lt;img src=x&gt; for an image and close"
        " with &lt;/p&gt;; &lt;a href=notes&gt; is a link.</p>]]></description>"),
}


def write(name, expect, text):
    body = text.replace("<!-- expect: -->", "<!-- expect: " + " ".join(sorted(expect)) + " -->", 1)
    with open(os.path.join(ROOT, name + ".xml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(body)


for name, (expect, text) in CASES.items():
    write(name, expect, text)
for name, text in PASSING.items():
    write(name, [], text)

# Invalid UTF-8 needs raw bytes.
raw = BASE.replace("<!-- expect: -->", "<!-- expect: xml/encoding -->").encode("utf-8")
raw = raw.replace(b"audio and the people", b"audio \xff\xfe the people", 1)
open(os.path.join(ROOT, "xml-encoding-bytes.xml"), "wb").write(raw)

print("wrote", len(CASES) + len(PASSING) + 1, "fixtures")
