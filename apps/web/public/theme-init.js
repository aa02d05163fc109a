// Runs before the stylesheet paints: "light" or "dark" pins the theme, anything else follows the system.
try {
  var theme = localStorage.getItem('weft:theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch (error) {
  /* storage blocked: follow the system theme */
}
