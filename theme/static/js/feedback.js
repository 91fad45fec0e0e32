// Gửi ý kiến: solves the proof of work with WebCrypto, sends the form as JSON and
// shows the status lookup in place. Everything here is an enhancement: without it
// the form posts normally and the service asks a short text question instead.
(function () {
  "use strict";

  var encoder = new TextEncoder();
  var BATCH = 512;

  function toHex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return out;
  }

  // Find n with SHA-256(salt + n) == challenge. Digests are requested in batches:
  // WebCrypto is asynchronous, and waiting for each one alone would be slow.
  async function solveProofOfWork(challenge) {
    for (var start = 0; start <= challenge.maxNumber; start += BATCH) {
      var end = Math.min(start + BATCH, challenge.maxNumber + 1);
      var pending = [];
      for (var n = start; n < end; n++) {
        pending.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var digests = await Promise.all(pending);
      for (var i = 0; i < digests.length; i++) {
        if (toHex(digests[i]) === challenge.challenge) {
          return btoa(JSON.stringify({
            algorithm: challenge.algorithm, challenge: challenge.challenge,
            number: start + i, salt: challenge.salt, signature: challenge.signature
          }));
        }
      }
    }
    return null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readJson(response) {
    return response.json().then(function (body) {
      return { status: response.status, body: body };
    });
  }

  function enhanceForm(form) {
    var api = form.getAttribute("data-feedback-api");
    var captcha = form.querySelector("[data-feedback-captcha]");
    var status = form.querySelector("[data-feedback-pow-status]");
    var noJsHint = form.querySelector("[data-feedback-nojs-hint]");
    var summary = form.querySelector("[data-feedback-summary]");
    var button = form.querySelector("button[type=submit]");
    var proof = null;
    var sending = false;

    var article = new URLSearchParams(window.location.search).get("bai-viet");
    if (article && form.elements.bai_viet && !form.elements.bai_viet.value) {
      form.elements.bai_viet.value = article.slice(0, 300);
    }

    function say(text) {
      status.hidden = false;
      status.textContent = text;
    }

    function removeQuestion() {
      captcha.querySelectorAll("[data-feedback-question]").forEach(function (node) { node.remove(); });
    }

    function showQuestion(question) {
      removeQuestion();
      var label = element("label", "feedback-form__label", question.van_ban);
      label.setAttribute("for", "gy-cau_tra_loi");
      var input = element("input", "feedback-form__input feedback-form__input--short");
      input.id = "gy-cau_tra_loi";
      input.name = "cau_tra_loi";
      input.required = true;
      input.autocomplete = "off";
      input.inputMode = "numeric";
      var token = element("input");
      token.type = "hidden";
      token.name = "cau_hoi_token";
      token.value = question.token;
      [label, input, token].forEach(function (node) {
        node.setAttribute("data-feedback-question", "");
        captcha.insertBefore(node, status);
      });
      status.hidden = true;
    }

    // Fetch a challenge and solve it in the background while the sender types.
    function prepareProof() {
      removeQuestion();
      say("Đang tạo mã kiểm tra tự động…");
      proof = fetch(api + "/thu-thach", { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("challenge " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (!(window.crypto && crypto.subtle)) {
            showQuestion(data.cau_hoi);
            return {};
          }
          return solveProofOfWork(data.altcha).then(function (payload) {
            if (!payload) {
              showQuestion(data.cau_hoi);
              return {};
            }
            say("Đã xác minh tự động. Bạn có thể gửi ý kiến.");
            return { altcha: payload };
          });
        });
      proof.catch(function () {
        say("Chưa tải được mã kiểm tra. Khi bạn bấm “Gửi ý kiến”, hệ thống sẽ thử lại.");
        proof = null;
      });
    }

    function clearErrors() {
      summary.hidden = true;
      summary.textContent = "";
      form.querySelectorAll("[data-feedback-error]").forEach(function (node) { node.remove(); });
      form.querySelectorAll(".feedback-form__group--error").forEach(function (group) {
        group.classList.remove("feedback-form__group--error");
      });
      form.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
    }

    function showErrors(message, errors) {
      clearErrors();
      summary.appendChild(element("h2", "feedback-form__error-title", "Chưa gửi được ý kiến"));
      var list = element("ul", "feedback-form__error-list");
      var names = Object.keys(errors || {});
      if (!names.length) list.appendChild(element("li", "", message));
      names.forEach(function (name) {
        var item = element("li");
        var field = form.querySelector("#gy-" + name);
        var group = name === "ma_kiem_tra" ? captcha : form.querySelector('[data-field="' + name + '"]');
        if (field) {
          var link = element("a", "", errors[name]);
          link.href = "#gy-" + name;
          item.appendChild(link);
          field.setAttribute("aria-invalid", "true");
        } else {
          item.textContent = errors[name];
        }
        list.appendChild(item);
        if (group) {
          var note = element("p", "feedback-form__error", errors[name]);
          note.setAttribute("data-feedback-error", "");
          group.classList.add("feedback-form__group--error");
          var anchor = group.querySelector("input, select, textarea, legend");
          if (anchor && anchor.tagName === "LEGEND") anchor.after(note);
          else if (anchor) anchor.before(note);
        }
      });
      summary.appendChild(list);
      summary.hidden = false;
      summary.focus();
    }

    function showReceipt(code, answerTime) {
      var receipt = element("div", "feedback-receipt");
      receipt.setAttribute("role", "status");
      receipt.tabIndex = -1;
      receipt.appendChild(element("p", "", "Ý kiến của bạn đã được tiếp nhận. Mã theo dõi:"));
      var codeLine = element("p", "feedback-receipt__code", code);
      codeLine.setAttribute("data-feedback-code", "");
      receipt.appendChild(codeLine);
      receipt.appendChild(element("p", "", "Hãy ghi lại mã này để tra cứu tình trạng xử lý."));
      if (answerTime) {
        var time = element("p", "", answerTime);
        time.setAttribute("data-feedback-answer-time", "");
        receipt.appendChild(time);
      }
      var link = element("a", "", "Tra cứu tình trạng ý kiến");
      link.href = form.getAttribute("data-feedback-lookup-url") + "?ma=" + encodeURIComponent(code);
      var linkLine = element("p");
      linkLine.appendChild(link);
      receipt.appendChild(linkLine);
      form.replaceWith(receipt);
      receipt.focus();
    }

    function fieldsAsJson(extra) {
      var data = {};
      new FormData(form).forEach(function (value, key) { data[key] = value; });
      data.dong_y = form.elements.dong_y.checked;
      Object.keys(extra).forEach(function (key) { data[key] = extra[key]; });
      return JSON.stringify(data);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;
      sending = true;
      button.disabled = true;
      if (!proof) prepareProof();
      proof
        .then(function (extra) {
          return fetch(form.action, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: fieldsAsJson(extra)
          });
        })
        .then(readJson)
        .then(function (reply) {
          if (reply.status === 201) {
            showReceipt(reply.body.ma, reply.body.thoi_gian_tra_loi);
            return;
          }
          showErrors(reply.body.thong_bao, reply.body.loi);
          // A captcha that was refused is used up or stale: prepare a new one.
          if (reply.body.loi && reply.body.loi.ma_kiem_tra) prepareProof();
        })
        .catch(function () {
          showErrors("Không gửi được ý kiến vì lỗi kết nối. Nội dung bạn nhập vẫn còn; vui lòng thử lại.", null);
        })
        .then(function () {
          sending = false;
          button.disabled = false;
        });
    });

    if (noJsHint) noJsHint.hidden = true;
    prepareProof();
  }

  function enhanceLookup(form) {
    var api = form.getAttribute("data-feedback-api");
    var output = document.querySelector("[data-feedback-status]");

    function message(text) {
      output.textContent = "";
      var note = element("p", "feedback-status__message", text);
      note.setAttribute("role", "alert");
      output.appendChild(note);
    }

    function render(item) {
      output.textContent = "";
      var details = element("dl", "feedback-status__details");
      function row(label, value) {
        details.appendChild(element("dt", "", label));
        var cell = element("dd");
        if (value instanceof Node) cell.appendChild(value);
        else cell.textContent = value;
        details.appendChild(cell);
      }
      row("Mã theo dõi", item.ma);
      row("Tình trạng", element("strong", "feedback-status__badge feedback-status__badge--" + item.trang_thai_ma,
                                item.trang_thai));
      row("Tiêu đề", item.tieu_de);
      row("Lĩnh vực", item.linh_vuc);
      row("Ngày gửi", item.ngay_gui);
      if (item.ngay_tra_loi) row("Ngày trả lời", item.ngay_tra_loi);
      output.appendChild(details);
      if (item.tra_loi) {
        output.appendChild(element("h2", "feedback-status__answer-title", "Trả lời"));
        output.appendChild(element("div", "feedback-status__answer", item.tra_loi));
      }
    }

    function lookup(code) {
      code = code.trim();
      if (!code) return;
      output.textContent = "Đang tra cứu…";
      fetch(api + "/trang-thai/" + encodeURIComponent(code), { headers: { Accept: "application/json" } })
        .then(readJson)
        .then(function (reply) {
          if (reply.status === 200) render(reply.body);
          else message(reply.body.thong_bao);
        })
        .catch(function () {
          message("Không tra cứu được vì lỗi kết nối. Vui lòng thử lại sau ít phút.");
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      lookup(form.elements.ma.value);
    });
    var initial = new URLSearchParams(window.location.search).get("ma");
    if (initial) {
      form.elements.ma.value = initial;
      lookup(initial);
    }
  }

  document.querySelectorAll("form[data-feedback-api]:not([data-feedback-lookup])").forEach(enhanceForm);
  document.querySelectorAll("form[data-feedback-lookup]").forEach(enhanceLookup);
})();
