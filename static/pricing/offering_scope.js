// The offering page: an item row's "applies to" list shows only for a minimum-commit or a
// percent-of-total item (ids in #scoped-items). Hidden, the list still posts what it holds.
'use strict';
(function () {
    function scopedIds() {
        const data = document.getElementById('scoped-items');
        return new Set(data ? JSON.parse(data.textContent).map(String) : []);
    }

    function sync(row, ids) {
        const item = row.querySelector('select[name$="-item"]');
        const scope = row.querySelector('select[name$="-scope"]');
        if (item && scope) {
            scope.hidden = !ids.has(item.value);
        }
    }

    function syncAll(ids) {
        document.querySelectorAll('#offering_items-group tr.form-row').forEach(function (row) {
            sync(row, ids);
        });
    }

    document.addEventListener('DOMContentLoaded', function () {
        const ids = scopedIds();
        syncAll(ids);
        // The item box is a select2 autocomplete: it tells its changes through jQuery.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(document).on('change', '#offering_items-group select[name$="-item"]', function () {
                sync(this.closest('tr'), ids);
            });
        }
        document.addEventListener('formset:added', function () { syncAll(ids); });
    });
})();
