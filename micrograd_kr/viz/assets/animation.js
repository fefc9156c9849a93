// One inline SVG; the script only changes texts, classes and opacity, so the layout never
// moves between frames. Everything is scoped under the container id (several animations can
// share a notebook page).
(function () {
  var box = document.getElementById("@ID@");
  var note = box.querySelector(".mgk-nojs");  // shown only where this script cannot run
  if (note) note.parentNode.removeChild(note);
  var D = JSON.parse(box.querySelector("script.mgk-data").textContent);
  var F = D.frames, n = F.length, cur = 0, timer = null;
  var slider = box.querySelector("input[type=range]");
  var playBtn = box.querySelector("[data-act=play]");
  var caption = box.querySelector(".mgk-caption");
  var counter = box.querySelector(".mgk-counter");
  var byId = function (id) { return id ? box.querySelector('[id="' + id + '"]') : null; };
  var grads = Array.prototype.slice.call(box.querySelectorAll("text.grad"));
  var back = Array.prototype.slice.call(box.querySelectorAll("g.edge." + (D.flow || "backward")));
  var marked = [];
  function show(k) {
    cur = Math.max(0, Math.min(n - 1, k));
    var shown = {}, changed = {}, revealed = {}, i, j;
    shown[F[0].node] = "grad 1";
    for (i = 0; i <= cur; i++) {
      for (j = 0; j < F[i].grads.length; j++) {
        shown[F[i].grads[j][0]] = F[i].grads[j][1];
        if (i === cur) changed[F[i].grads[j][0]] = true;
      }
      for (j = 0; j < F[i].edges.length; j++) revealed[F[i].edges[j]] = i;
    }
    grads.forEach(function (t) {
      var owner = t.closest("g.node"), id = owner ? owner.id : "";
      var s = shown[id];
      t.textContent = s === undefined ? (D.blank || "grad") : s;
      t.classList.toggle("blank", s === undefined);
      t.classList.toggle("changed", !!changed[id]);
    });
    back.forEach(function (e) {
      var r = revealed[e.id];
      e.classList.toggle("pending", r === undefined);
      e.classList.toggle("active", r === cur);
    });
    marked.forEach(function (m) { m.classList.remove("current"); });
    marked = [byId(F[cur].node), byId(F[cur].op)].filter(Boolean);
    marked.forEach(function (m) { m.classList.add("current"); });
    caption.textContent = F[cur].caption;
    counter.textContent = (cur + 1) + " / " + n;
    slider.value = cur;
    box.setAttribute("data-frame", cur);
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    playBtn.textContent = "▶ 재생";
  }
  function play() {
    if (cur >= n - 1) show(0);
    playBtn.textContent = "■ 멈춤";
    timer = setInterval(function () {
      if (cur >= n - 1) { stop(); return; }
      show(cur + 1);
    }, D.interval);
  }
  box.querySelector(".mgk-controls").addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) return;
    var a = b.getAttribute("data-act");
    if (a === "play") { timer ? stop() : play(); return; }
    stop();
    show({first: 0, prev: cur - 1, next: cur + 1, last: n - 1}[a]);
  });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  box.tabIndex = 0;
  box.addEventListener("keydown", function (ev) {
    var k = {ArrowLeft: cur - 1, ArrowRight: cur + 1, Home: 0, End: n - 1}[ev.key];
    if (ev.key === " ") { ev.preventDefault(); timer ? stop() : play(); return; }
    if (k !== undefined) { ev.preventDefault(); stop(); show(k); }
  });
  // a saved page can open at a chosen frame: backprop.html#frame=5 or #frame=last
  var m = /(?:^|[#&?])frame=(last|\d+)/.exec(location.hash + "&" + location.search);
  show(m ? (m[1] === "last" ? n - 1 : parseInt(m[1], 10) - 1) : 0);
})();
