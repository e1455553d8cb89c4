/*
| Participant tags and participant numbers (api.md §6.7).
*/
