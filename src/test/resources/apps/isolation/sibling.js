export const sibling = "imported from the app's own folder";
