// Enhances the page; everything works without it (native audio controls, links).
(function () {
  "use strict";
  var audio = document.getElementById("player");
  var ui = document.getElementById("player-ui");
  var chapters = Array.prototype.slice.call(document.querySelectorAll(".chapters li[data-start]"));
  function clock(s) {
    s = Math.max(0, Math.floor(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (r < 10 ? "0" : "") + r;
  }
  function video() { return document.querySelector(".video iframe"); }
  function command(frame, func) {
    // The YouTube iframe API's message format (enablejsapi=1).
    frame.contentWindow.postMessage(JSON.stringify({ event: "command", func: func, args: [] }), "*");
  }
  if (audio && ui) {
    var duration = +ui.dataset.duration || 0;
    var play = ui.querySelector(".play");
    var seek = ui.querySelector("input[type=range]");
    var now = ui.querySelector(".now");
    var speed = ui.querySelector("select");
    audio.controls = false;
    audio.hidden = true;
    ui.hidden = false;
    // The caption gives the duration to pages without the script; the controls show it now.
    var caption = ui.parentNode.querySelector("figcaption");
    if (caption) caption.hidden = true;
    function total() { return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : duration; }
    function show() {
      var t = audio.currentTime;
      now.textContent = clock(t);
      seek.value = t;
      seek.setAttribute("aria-valuetext", clock(t) + " of " + clock(total()));
      var current = -1;
      chapters.forEach(function (li, i) { if (+li.dataset.start <= t + 0.25) current = i; });
      chapters.forEach(function (li, i) {
        if (i === current) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
      });
    }
    function to(t) { audio.currentTime = Math.min(Math.max(0, t), total()); show(); }
    play.addEventListener("click", function () { if (audio.paused) audio.play(); else audio.pause(); });
    audio.addEventListener("play", function () {
      play.textContent = "Pause"; play.setAttribute("aria-pressed", "true");
      var f = video(); if (f) command(f, "pauseVideo");
    });
    audio.addEventListener("pause", function () { play.textContent = "Play"; play.setAttribute("aria-pressed", "false"); });
    audio.addEventListener("timeupdate", show);
    audio.addEventListener("seeked", show);
    seek.addEventListener("input", function () { to(+seek.value); });
    ui.querySelectorAll("button[data-skip]").forEach(function (b) {
      b.addEventListener("click", function () { to(audio.currentTime + +b.dataset.skip); });
    });
    speed.addEventListener("change", function () { audio.playbackRate = +speed.value; });
    document.querySelectorAll("a[data-start]").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); to(+a.dataset.start); audio.play(); });
    });
    show();
  }
  // Click to load: nothing is requested from YouTube before the visitor asks.
  document.querySelectorAll(".video a[data-embed]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var f = document.createElement("iframe");
      f.src = a.dataset.embed;
      f.title = a.dataset.title;
      f.allow = "autoplay; encrypted-media; picture-in-picture";
      f.setAttribute("allowfullscreen", "");
      f.referrerPolicy = "strict-origin-when-cross-origin";
      f.addEventListener("load", function () {
        f.contentWindow.postMessage(JSON.stringify({ event: "listening", id: 1 }), "*");
      });
      a.replaceWith(f);
      if (audio) audio.pause();
      f.focus();
    });
  });
  // The video started playing: pause the audio.
  window.addEventListener("message", function (e) {
    if (!/^https:\/\/www\.youtube(-nocookie)?\.com$/.test(e.origin) || !audio) return;
    try {
      var d = JSON.parse(e.data);
      if (d.info && d.info.playerState === 1) audio.pause();
    } catch (_) { /* not ours */ }
  });
  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var done = function () { b.textContent = "Copied"; };
      if (navigator.clipboard) navigator.clipboard.writeText(b.dataset.copy).then(done, function () {});
    });
  });
})();
