// Monthly chart of the statistics page: received (line) and finished by outcome (stacked bars).
(function () {
  var el = document.getElementById("chart-data");
  var canvas = document.getElementById("chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(JSON.parse(el.textContent));
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Trước hạn", data: data.early, backgroundColor: "#2e7d32", stack: "f" },
        { type: "bar", label: "Đúng hạn", data: data.on_time, backgroundColor: "#81c784", stack: "f" },
        { type: "bar", label: "Quá hạn", data: data.late, backgroundColor: "#c62828", stack: "f" },
        { type: "line", label: "Tiếp nhận", data: data.received, borderColor: "#8b1a1a", backgroundColor: "#8b1a1a" }
      ]
    },
    options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });
})();
