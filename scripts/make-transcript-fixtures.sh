#!/usr/bin/env bash
# Makes transcripts whose timing truth is known, by speaking text with espeak-ng
# and measuring every piece with sox (soxi -s: exact sample counts).
#
#   tests/fixtures/transcripts/<name>/transcript.vtt, transcript.srt
#   tests/fixtures/transcripts/<name>/truth.tsv   section<TAB>start (s): where the
#       first sentence of that article section begins in the spoken audio
#   tests/fixtures/transcripts/<name>/article.*    the article the speech paraphrases
#       (copied from the sample show)
#   episodes/{grounding-techniques-for-panic,first-therapy-session}/transcript.vtt
#       transcripts of the sample show's own audio (see below), with their truth in
#       tests/fixtures/transcripts/sample-<slug>/truth.tsv
#
# Fixtures (spoken one cue per sentence, each followed by a pause):
#   panic-monologue           one narrator paraphrasing the grounding article
#                             (skips one section and the FAQ, as real episodes do)
#   relationship-conversation two speakers (VTT <v> voice spans, SRT "Name: ")
#                             talking through the relationship article
#   The "wrong episode" case needs no file of its own: the tests align the
#   panic transcript with the relationship article.
#
# Sample show: scripts/make-sample-show.sh speaks each chapter piece with one
# espeak-ng call and pads it with 0.6 s of silence. This script speaks the same
# pieces again (same voice, rate, pitch, sample rate: same samples) to get each
# piece's exact start, checks the total against tests/fixtures/sample-show-truth.tsv,
# and times the sentences inside a piece by speaking each sentence alone and
# scaling those lengths to the piece. Section starts are exact; sentence starts
# inside a section are estimates (within a few tenths of a second).
#
# Needs: espeak-ng, sox/soxi, python3.   Usage: scripts/make-transcript-fixtures.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
for tool in espeak-ng sox soxi python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install espeak-ng sox)" >&2; exit 1; }
done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export WORK

OUT=tests/fixtures/transcripts
mkdir -p "$OUT/panic-monologue" "$OUT/relationship-conversation"
cp episodes/grounding-techniques-for-panic/article.md "$OUT/panic-monologue/article.md"
cp episodes/relationship-as-medicine/article.html "$OUT/relationship-conversation/article.html"

# Lines: section<TAB>speaker<TAB>sentence. Speakers map to espeak-ng voices below.
cat >"$WORK/panic-monologue.txt" <<'TXT'
Introduction	Narrator	Have you ever felt your body sound an alarm when nothing was wrong?
Introduction	Narrator	Today we look at what to do in that moment, and why it helps.
Quick answer	Narrator	Here is the short version.
Quick answer	Narrator	Grounding means short exercises that bring your attention back to the present through your senses, your breathing or something cold.
Quick answer	Narrator	They will not stop every attack, but they shorten the wave.
Quick answer	Narrator	Practice one before you need it.
Why panic feels so physical	Narrator	So why does panic feel so physical?
Why panic feels so physical	Narrator	Your threat response fires at full strength, and adrenaline speeds up your heart and your breathing.
Why panic feels so physical	Narrator	That is why it can feel like a medical emergency, and why arguing with it rarely works.
Why panic feels so physical	Narrator	The tingling and dizziness usually come from fast, shallow breathing.
Three grounding techniques to practice	Narrator	Now, three grounding techniques you can practice on calm days.
Three grounding techniques to practice	Narrator	First, the five four three two one method: name things you can see, touch, hear, smell and taste.
Three grounding techniques to practice	Narrator	Second, paced breathing: in through the nose for four counts, out slowly for six.
Three grounding techniques to practice	Narrator	Third, a temperature reset: hold an ice cube or run cool water over your wrists.
How therapy helps when panic keeps returning	Narrator	What if panic keeps returning?
How therapy helps when panic keeps returning	Narrator	Grounding handles the moment, but therapy works on the pattern.
How therapy helps when panic keeps returning	Narrator	Cognitive behavioral therapy helps you understand the fear of the fear, and gradual exposure teaches your body the sensations are survivable.
Practical takeaways	Narrator	A few takeaways.
Practical takeaways	Narrator	Practice on calm days, name the panic out loud, lengthen your exhale, and track your attacks so you and your therapist have real data.
When to seek professional help	Narrator	Reach out to a licensed therapist if attacks keep happening, or if you start avoiding driving, stores or work.
When to seek professional help	Narrator	In an emergency call 911, and the 988 Suicide and Crisis Lifeline is there by call or text.
TXT

cat >"$WORK/relationship-conversation.txt" <<'TXT'
Introduction	Ana	Welcome back. I'm Ana.
Introduction	Ben	And I'm Ben. Today, why reading every self-help book can still leave you stuck.
Quick answer	Ana	The short answer is that healing happens when a steady, attuned therapist is present with you in a feeling.
Quick answer	Ben	And research says the therapeutic alliance is one of the most consistent predictors of outcomes.
You have probably tried thinking your way out	Ana	Many listeners have read the books and know their patterns and their attachment style.
You have probably tried thinking your way out	Ben	Yet when panic hits at two in the morning, the insight does not stop the wave.
What "relationship as medicine" actually means	Ana	So what does relationship as medicine actually mean?
What "relationship as medicine" actually means	Ben	Fifty years of psychotherapy research say who you sit with matters as much as the technique.
What "relationship as medicine" actually means	Ana	Wampold's review calls the trust and the emotional bond between client and therapist one of the most reliable factors in change.
Why thinking alone hits a ceiling	Ben	Why does thinking alone hit a ceiling?
Why thinking alone hits a ceiling	Ana	The prefrontal cortex, the planner and inner narrator, is not where threat responses live; the amygdala reacts before thought catches up.
Why thinking alone hits a ceiling	Ben	Insight without integration is not new wiring, and you cannot fully co-regulate alone.
What a regulated nervous system in the room actually does	Ana	Then there is the regulated nervous system in the room.
What a regulated nervous system in the room actually does	Ben	A therapist's slowed breathing, steady eye contact and kind tone tell your body that this feeling can be survived.
What a regulated nervous system in the room actually does	Ana	Clinicians call that a corrective emotional experience.
What this looks like at CHC	Ben	At Coping and Healing Counseling this happens through telehealth, in all 159 Georgia counties.
What this looks like at CHC	Ana	Expect a real intake conversation, pacing that respects your nervous system, and honest talk about fit with our licensed therapists.
Why technique still matters — but works through the relationship	Ben	Does technique still matter, then?
Why technique still matters — but works through the relationship	Ana	It does: CBT and EMDR have strong evidence, and structured methods work better inside a strong therapeutic relationship.
Practical takeaways you can use this week	Ben	Takeaways for this week: stop grading yourself for being stuck.
Practical takeaways you can use this week	Ana	Pay attention to fit, not only credentials, and give therapy a fair window of several sessions.
When to seek professional help	Ben	You do not need a diagnosis or a crisis to start therapy.
When to seek professional help	Ana	If someone is in immediate danger call 911; the 988 Lifeline and the Georgia Crisis and Access Line answer around the clock.
TXT

python3 - "$OUT" <<'PY'
import os, subprocess, sys

out_dir = sys.argv[1]
work = os.environ["WORK"]
RATE = 22050
VOICES = {"Narrator": ("en-us", "45"), "Ana": ("en-us+f3", "60"), "Ben": ("en-us", "35")}
GAP_SENTENCE, GAP_SECTION = 0.4, 0.9

def speak(text, voice, pitch, path):
    """Speaks text to a WAV at RATE; returns its length in samples."""
    raw = os.path.join(work, "raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "170", "-p", pitch, "-w", raw, text], check=True)
    subprocess.run(["sox", "-R", "-D", raw, "-r", str(RATE), "-c", "1", "-b", "16", path], check=True)
    return int(subprocess.run(["soxi", "-s", path], check=True, capture_output=True, text=True).stdout)

def vtt_time(s):
    ms = round(s * 1000)
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def write(folder, cues, truth, voices):
    """cues: (start, end, speaker, text); truth: (section, start)."""
    with open(os.path.join(folder, "transcript.vtt"), "w", encoding="utf-8") as f:
        f.write("WEBVTT - made by scripts/make-transcript-fixtures.sh\n\nNOTE timings measured with soxi from espeak-ng speech\n")
        for i, (a, b, who, text) in enumerate(cues):
            voice = f"<v {who}>" if voices else ""
            f.write(f"\ncue-{i + 1}\n{vtt_time(a)} --> {vtt_time(b)} line:90% align:center\n{voice}{esc(text)}\n")
    with open(os.path.join(folder, "transcript.srt"), "w", encoding="utf-8", newline="") as f:
        last = None
        for i, (a, b, who, text) in enumerate(cues):
            prefix = f"{who}: " if voices and who != last else ""
            last = who
            f.write(f"{i + 1}\r\n{vtt_time(a).replace('.', ',')} --> {vtt_time(b).replace('.', ',')}\r\n{prefix}{text}\r\n\r\n")
    if truth is not None:
        with open(os.path.join(folder, "truth.tsv"), "w", encoding="utf-8") as f:
            f.write("# section\tstart_seconds (first sample of the section's first sentence)\n")
            for title, start in truth:
                f.write(f"{title}\t{start:.3f}\n")

for name in ("panic-monologue", "relationship-conversation"):
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(work, name + ".txt"), encoding="utf-8") if l.strip()]
    t, cues, truth, prev = 0, [], [], None
    for i, (section, who, text) in enumerate(rows):
        if section != prev and prev is not None:
            t += int(GAP_SECTION * RATE) - int(GAP_SENTENCE * RATE)
        if section != prev:
            truth.append((section, t / RATE))
        prev = section
        voice, pitch = VOICES[who]
        n = speak(text, voice, pitch, os.path.join(work, f"s{i}.wav"))
        cues.append((t / RATE, (t + n) / RATE, who, text))
        t += n + int(GAP_SENTENCE * RATE)
    write(os.path.join(out_dir, name), cues, truth, voices=True)
    print(f"{name}: {len(cues)} cues, {t / RATE:.1f} s, sections at " + ", ".join(f"{s:.1f}" for _, s in truth))

# --- the sample show's own audio --------------------------------------------
# Pieces exactly as scripts/make-sample-show.sh speaks them (kept in sync by hand;
# the total is checked against the measured truth table below).
SAMPLE = {
    "grounding-techniques-for-panic": [
        "Grounding Techniques for Panic Attacks. A panic attack can feel like your body has pulled a fire alarm with no fire in sight.",
        "Quick answer. Grounding techniques for panic are short exercises that pull your attention out of the alarm in your body and back into the present moment, using your senses, your breath, or temperature. The most useful technique is the one you have practiced before you need it.",
        "Three grounding techniques to practice. Each of these takes one to three minutes. Practice them on calm days first, so they are familiar when panic arrives.",
        "How therapy helps when panic keeps returning. Grounding handles the moment. Therapy works on the pattern.",
        "If you or someone you know is in immediate danger, call 911. The 988 Suicide and Crisis Lifeline is available 24/7 by call or text.",
    ],
    "first-therapy-session": [
        "What to Expect in Your First Therapy Session. Booking a first therapy appointment takes courage.",
        "Quick answer. Your first therapy session is mostly a conversation. You do not need to prepare a speech or share anything you are not ready to share.",
        "Before your first session. Most practices send intake forms a day or two ahead.",
        "During the first session. The first session usually lasts 50 to 60 minutes. Your therapist will review confidentiality and its limits, then ask open questions about your life, your symptoms and your goals. You are also interviewing them.",
        "After the session. It is common to feel tired, relieved, or a bit raw afterward. Real change rarely happens in one meeting. Most people need a few sessions before the relationship feels comfortable.",
        "If you or someone you know is in immediate danger, call 911. Call or text 988 to reach the 988 Suicide and Crisis Lifeline.",
    ],
}
TITLES = {
    "grounding-techniques-for-panic": ["Introduction", "Quick answer", "Three grounding techniques to practice",
                                       "How therapy helps when panic keeps returning", "When to seek professional help"],
    "first-therapy-session": ["Introduction", "Quick answer", "Before your first session", "During the first session",
                              "After the session", "When to seek professional help"],
}
truth_rows = {}
for line in open("tests/fixtures/sample-show-truth.tsv", encoding="utf-8"):
    if line.startswith("episodes/"):
        cols = line.rstrip("\n").split("\t")
        truth_rows[cols[0].split("/")[1]] = float(cols[9])  # decoded_duration
GAP = 0.6
import re
for slug, pieces in SAMPLE.items():
    t, cues, truth = 0, [], []
    for k, piece in enumerate(pieces):
        truth.append((TITLES[slug][k], t / RATE))
        n = speak(piece, "en-us", "45", os.path.join(work, "piece.wav"))
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", piece) if s]
        lengths = [speak(s, "en-us", "45", os.path.join(work, f"x{j}.wav")) for j, s in enumerate(sentences)]
        scale = n / sum(lengths)
        at = t
        for s, m in zip(sentences, lengths):
            cues.append((at / RATE, (at + m * scale) / RATE, "Narrator", s))
            at += m * scale
        t += n + int(GAP * RATE)
    total = t / RATE
    measured = truth_rows[slug]
    if abs(total - measured) > 0.1:
        sys.exit(f"{slug}: re-spoken pieces last {total:.3f} s but the audio lasts {measured:.3f} s; is this the espeak-ng that made the sample show?")
    write(os.path.join("episodes", slug), cues, None, voices=True)
    os.remove(os.path.join("episodes", slug, "transcript.srt"))  # one input per episode: the VTT
    os.makedirs(os.path.join(out_dir, "sample-" + slug), exist_ok=True)
    write(os.path.join(out_dir, "sample-" + slug), [], truth, voices=True)
    for name in ("transcript.vtt", "transcript.srt"):  # the truth is all this fixture needs
        os.remove(os.path.join(out_dir, "sample-" + slug, name))
    print(f"{slug}: {len(cues)} cues, pieces {total:.3f} s, audio {measured:.3f} s")
PY
