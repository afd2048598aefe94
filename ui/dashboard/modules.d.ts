// Modules without type declarations of their own, as the dashboard uses them.
declare module 'dc/src/*';
declare module '*.css' {
  const text: string;
  export default text;
}
