// Monthly ratings (bars) and satisfaction rate (line) on the staff statistics page.
// The same figures are in the table below the chart: the page works without it.
(function () {
  "use strict";
  var canvas = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Số phiếu", data: data.rated, yAxisID: "count", backgroundColor: "#c9a0a0" },
        { type: "line", label: "Tỉ lệ hài lòng (%)", data: data.rate, yAxisID: "rate", borderColor: "#8b1a1a", backgroundColor: "#8b1a1a", spanGaps: true }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        count: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 } },
        rate: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } }
      }
    }
  });
})();
