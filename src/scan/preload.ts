// What must run before arborist or pacote is loaded (each is explained in its own file). Every
// module that imports either imports this first.
import './home.js';
import './fd-limit.js';
