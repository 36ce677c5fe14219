// Freezes Object.prototype before the page's own scripts run, so that no script can change
// what every object inherits (prototype pollution). Tauri's `freezePrototype` does only
// `Object.freeze(Object.prototype)`, which breaks Preact: it copies its virtual nodes by
// assignment, and their own `constructor` property then meets the frozen, read-only
// `Object.prototype.constructor` (JavaScript's "override mistake": a TypeError in strict
// code). So each data property of Object.prototype first becomes an accessor whose setter
// gives the object assigned to a property of its own, as Hardened JavaScript does it; then
// the prototype is frozen. Object.prototype itself can no longer be changed.
(function () {
  "use strict";
  var proto = Object.prototype;
  Object.getOwnPropertyNames(proto).forEach(function (name) {
    var desc = Object.getOwnPropertyDescriptor(proto, name);
    if (!desc || !("value" in desc) || !desc.writable || !desc.configurable) return;
    var value = desc.value;
    Object.defineProperty(proto, name, {
      get: function () {
        return value;
      },
      set: function (v) {
        if (this === proto) throw new TypeError("Object.prototype is frozen: " + name);
        Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  });
  Object.freeze(proto);
})();
