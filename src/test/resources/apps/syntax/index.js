export default {
  fetch( {
