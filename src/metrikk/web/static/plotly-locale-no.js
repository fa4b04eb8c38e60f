/* Norwegian (bokmål) for plotly.js. Plotly calls Norwegian "no"; the locale of that name in
   plotly.js has month and day names only, so the toolbar stayed English. This one adds the
   toolbar and hover texts of plotly.js 4 and Norwegian number format (decimal comma, a space
   between thousands). Registered before app code runs; charts ask for it with locale: "no". */
"use strict";
(function registerNorwegian() {
  if (!window.Plotly) return;
  window.Plotly.register({
    moduleType: "locale",
    name: "no",
    dictionary: {
      Autoscale: "Tilpass aksene",
      "Box Select": "Velg med rektangel",
      "Click to enter Plot title": "Klikk for å skrive tittel",
      "Click to enter X axis title": "Klikk for å skrive tittel på x-aksen",
      "Click to enter Y axis title": "Klikk for å skrive tittel på y-aksen",
      "Compare data on hover": "Sammenlign verdier ved pekeren",
      "Double-click on legend to isolate one trace": "Dobbeltklikk på forklaringen for å vise bare én serie",
      "Double-click to zoom back out": "Dobbeltklikk for å zoome ut igjen",
      "Download plot as a PNG": "Last ned diagrammet som PNG",
      "Download plot": "Last ned diagrammet",
      "Download plot as JSON": "Last ned diagrammet som JSON",
      "Image download succeeded": "Bildet er lastet ned",
      "JSON download succeeded": "JSON-filen er lastet ned",
      "Lasso Select": "Velg med lasso",
      Pan: "Flytt",
      "Preparing image - this may take a few seconds": "Lager bildet – det kan ta noen sekunder",
      "Reset axes": "Tilbakestill aksene",
      "Reset view": "Tilbakestill visningen",
      "Reset views": "Tilbakestill visningene",
      Reset: "Tilbakestill",
      "Show closest data on hover": "Vis nærmeste verdi ved pekeren",
      "Sorry, there was a problem downloading your image!": "Beklager, bildet kunne ikke lastes ned.",
      "Sorry, there was a problem downloading your JSON file!": "Beklager, JSON-filen kunne ikke lastes ned.",
      "Toggle Spike Lines": "Slå hjelpelinjer av eller på",
      "Toggle show closest data on hover": "Slå av eller på visning av nærmeste verdi",
      "Zoom in": "Zoom inn",
      "Zoom out": "Zoom ut",
      Zoom: "Zoom",
      trace: "serie",
      "new text": "ny tekst",
    },
    format: {
      days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
      shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
      months: ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
        "oktober", "november", "desember"],
      shortMonths: ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"],
      date: "%d.%m.%Y",
      decimal: ",",
      thousands: "\u00a0",
    },
  });
}());
