import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const saved = localStorage.getItem('romshelf-theme');
document.documentElement.dataset.theme = saved === 'light' ? 'light' : 'dark';

mount(App, { target: document.getElementById('app') as HTMLElement });
