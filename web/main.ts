// The front end's entry: picks the page by the address.

import { showHomePage } from './page/home-page.ts';
import { showLabPage } from './page/lab-page.ts';
import { routeFor } from './page/page-route.ts';
import './styles.css';

const root = document.getElementById('app')!;
const route = routeFor(location.pathname, location.search);

switch (route.page) {
  case 'home':
    void showHomePage(root);
    break;
  case 'class':
    void showHomePage(root, route.slug);
    break;
  case 'lab':
    void showLabPage(root, route.code, route.run);
    break;
  case 'unknown':
    root.innerHTML = '<main class="message-page"><h1>Socket Lab</h1><p>There is nothing at this address. <a href="/">Start a new lab</a>.</p></main>';
    break;
}
