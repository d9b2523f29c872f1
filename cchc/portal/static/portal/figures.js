// On-time rate and satisfaction rate per month on the public transparency page.
// The same figures are in the tables of the page: it works without this script.
(function () {
  "use strict";
  var canvas = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Tỉ lệ đúng hạn (%)", data: data.on_time, borderColor: "#8b1a1a", backgroundColor: "#8b1a1a", spanGaps: true },
        { label: "Tỉ lệ hài lòng (%)", data: data.satisfaction, borderColor: "#1a5e8b", backgroundColor: "#1a5e8b", borderDash: [6, 4], spanGaps: true }
      ]
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100 } } }
  });
})();
